
pub(crate) fn reflens_describe_images_output_output_next_token(
    input: &crate::operation::describe_images::DescribeImagesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_repositories_output_output_next_token(
    input: &crate::operation::describe_repositories::DescribeRepositoriesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_images_output_output_image_details(
    input: crate::operation::describe_images::DescribeImagesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::ImageDetail>> {
    let input = input.image_details?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_repositories_output_output_repositories(
    input: crate::operation::describe_repositories::DescribeRepositoriesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Repository>> {
    let input = input.repositories?;
    ::std::option::Option::Some(input)
}
