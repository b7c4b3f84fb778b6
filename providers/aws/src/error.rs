//! AWS errors as provider errors: AWS's error code and message, or what went wrong on the way,
//! never a Rust `Debug` dump; and [`error_kind`], the one place this provider maps codes onto
//! [`ErrorKind`]s.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use plinth_sdk::{ErrorKind, ProviderError, error_chain as chain};

/// The kind of an AWS error code (a service's code, or one of this provider's own). Services
/// spell the same idea many ways (`NoSuchBucket`, `ResourceNotFoundException`,
/// `InvalidVpcID.NotFound`), so the rules go by shape where they can.
pub fn error_kind(code: &str) -> ErrorKind {
    let base = code.strip_suffix("Exception").unwrap_or(code);
    match base {
        "Throttling"
        | "Throttled"
        | "RequestLimitExceeded"
        | "TooManyRequests"
        | "SlowDown"
        | "RequestThrottled"
        | "ProvisionedThroughputExceeded"
        | "PriorRequestNotComplete"
        | "BandwidthLimitExceeded" => return ErrorKind::Throttled,
        "InternalError"
        | "InternalFailure"
        | "InternalServerError"
        | "InternalService"
        | "ServiceUnavailable"
        | "ServiceFailure"
        | "Unavailable"
        | "RequestTimeout"
        | "Timeout" => {
            return ErrorKind::Transient;
        }
        "AuthFailure"
        | "UnauthorizedOperation"
        | "Unauthorized"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "UnrecognizedClient"
        | "MissingAuthenticationToken"
        | "IncompleteSignature"
        | "NoCredentials"
        | "OptInRequired" => return ErrorKind::Forbidden,
        "DependencyViolation"
        | "DeleteConflict"
        | "BucketNotEmpty"
        | "BucketAlreadyExists"
        | "BucketAlreadyOwnedByYou"
        | "ResourceInUse"
        | "ResourceExists"
        | "ConcurrentModification"
        | "OperationAborted"
        | "Conflict"
        | "ResourceFailed" => return ErrorKind::Conflict,
        _ => {}
    }
    if base.contains("NotFound") || base.contains("NoSuch") {
        ErrorKind::NotFound
    } else if base.starts_with("AccessDenied") {
        ErrorKind::Forbidden
    } else if base.contains("AlreadyExists") || base.contains("Duplicate") || base.contains("InUse") {
        ErrorKind::Conflict
    } else if base.starts_with("Invalid")
        || base.starts_with("Validation")
        || base.starts_with("Malformed")
        || base.starts_with("Missing")
        || base.starts_with("Unsupported")
        || base == "NoRegion"
    {
        ErrorKind::Invalid
    } else {
        ErrorKind::Other
    }
}

/// `e` with its [`ErrorKind`]; applied where errors leave the provider.
pub fn classify(e: ProviderError) -> ProviderError {
    e.classify(error_kind)
}

/// The kind of an SDK error: [`error_kind`] of a service error's code, except that SageMaker
/// reports some missing objects as `ValidationException` with "Could not find ...", "... does
/// not exist" or (notebook instances) "RecordNotFound"; transport failures and timeouts are transient.
pub fn kind_of<E>(e: &SdkError<E, HttpResponse>) -> ErrorKind
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("Unknown");
            let missing = err.message().is_some_and(|m| {
                let m = m.to_ascii_lowercase();
                m.contains("could not find")
                    || m.contains("does not exist")
                    || m.contains("not found")
                    || m.contains("recordnotfound")
            });
            if code == "ValidationException" && missing {
                ErrorKind::NotFound
            } else {
                error_kind(code)
            }
        }
        SdkError::TimeoutError(_) => ErrorKind::Transient,
        SdkError::DispatchFailure(d)
            if d.is_io()
                || d.is_timeout()
                || d.as_other() == Some(aws_smithy_types::retry::ErrorKind::TransientError) =>
        {
            ErrorKind::Transient
        }
        _ => ErrorKind::Other,
    }
}

/// Converts any SDK error: service errors keep AWS's code and message.
pub fn aws_error<E>(e: SdkError<E, HttpResponse>) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let kind = kind_of(&e);
    let e = match &e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = err.message().map(str::to_string).unwrap_or_else(|| chain(err));
            ProviderError::with_code(code, message)
        }
        SdkError::TimeoutError(_) => ProviderError::with_code("Timeout", format!("request timed out: {}", chain(&e))),
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => ProviderError::with_code(
            "DispatchFailure",
            format!(
                "could not reach AWS (check AWS_ENDPOINT_URL or endpoint_url, and the network): {}",
                chain(&e)
            ),
        ),
        SdkError::DispatchFailure(_) => ProviderError::with_code(
            "DispatchFailure",
            format!(
                "the request could not be sent (check the region and the credentials: region or AWS_REGION, \
                 AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): {}",
                chain(&e)
            ),
        ),
        SdkError::ResponseError(r) => ProviderError::with_code(
            "ResponseError",
            format!(
                "AWS answered HTTP {} with a body that is not an AWS error (an emulator may not implement this operation)",
                r.raw().status().as_u16()
            ),
        ),
        _ => ProviderError::new(chain(&e)),
    };
    e.with_kind(kind)
}

/// The error code of an SDK error, if it is a service error.
pub fn code_of<E>(e: &SdkError<E, HttpResponse>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// Whether an error means "no such object" (for reads and idempotent deletes).
pub fn is_not_found<E>(e: &SdkError<E, HttpResponse>) -> bool
where
    E: ProvideErrorMetadata,
{
    kind_of(e) == ErrorKind::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_onto_kinds() {
        let cases = [
            ("NoSuchBucket", ErrorKind::NotFound),
            ("ResourceNotFound", ErrorKind::NotFound),
            ("ResourceNotFoundException", ErrorKind::NotFound),
            ("InvalidVpcID.NotFound", ErrorKind::NotFound),
            ("NoSuchEntity", ErrorKind::NotFound),
            ("ThrottlingException", ErrorKind::Throttled),
            ("RequestLimitExceeded", ErrorKind::Throttled),
            ("AccessDenied", ErrorKind::Forbidden),
            ("AccessDeniedException", ErrorKind::Forbidden),
            ("UnauthorizedOperation", ErrorKind::Forbidden),
            ("EntityAlreadyExists", ErrorKind::Conflict),
            ("ResourceInUse", ErrorKind::Conflict),
            ("DependencyViolation", ErrorKind::Conflict),
            ("ValidationException", ErrorKind::Invalid),
            ("InvalidParameterValue", ErrorKind::Invalid),
            ("MalformedPolicyDocument", ErrorKind::Invalid),
            ("ServiceUnavailable", ErrorKind::Transient),
            ("RequestTimeout", ErrorKind::Transient),
            ("WaitTimeout", ErrorKind::Other),
        ];
        for (code, kind) in cases {
            assert_eq!(error_kind(code), kind, "{code}");
        }
    }
}
