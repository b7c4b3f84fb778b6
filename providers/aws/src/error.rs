//! AWS errors as provider errors: the AWS error code and its message, or the transport failure.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::ProviderError;

/// Converts any SDK error: service errors keep AWS's code and message.
pub fn aws_error<E, R>(e: SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = err
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(err).to_string());
            ProviderError::with_code(code, message)
        }
        SdkError::TimeoutError(_) => {
            ProviderError::with_code("Timeout", format!("request timed out: {}", DisplayErrorContext(&e)))
        }
        SdkError::DispatchFailure(_) => ProviderError::with_code(
            "DispatchFailure",
            format!(
                "could not reach AWS (check AWS_ENDPOINT_URL, the network and credentials): {}",
                DisplayErrorContext(&e)
            ),
        ),
        SdkError::ResponseError(r) => {
            // The raw response's Debug form would dump headers and body: keep only the status.
            let raw = format!("{:?}", r.raw());
            let status = raw
                .split("StatusCode(")
                .nth(1)
                .and_then(|s| s.split(')').next())
                .unwrap_or("?")
                .to_string();
            ProviderError::with_code(
                "ResponseError",
                format!(
                    "AWS answered HTTP {status} with a body that is not an AWS error (an emulator may not implement this operation)"
                ),
            )
        }
        _ => ProviderError::new(DisplayErrorContext(&e).to_string()),
    }
}

/// The error code of an SDK error, if it is a service error.
pub fn code_of<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// Whether an error means "no such object" (for reads and idempotent deletes).
pub fn is_not_found<E, R>(e: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata,
{
    code_of(e).is_some_and(|c| {
        c.contains("NotFound")
            || c.contains("NoSuch")
            || c == "ResourceNotFound"
            || c == "ResourceNotFoundException"
            || c.ends_with(".NotFound")
    })
}
