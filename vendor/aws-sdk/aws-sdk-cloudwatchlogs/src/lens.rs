
pub(crate) fn reflens_describe_log_groups_output_output_next_token(
    input: &crate::operation::describe_log_groups::DescribeLogGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_log_groups_output_output_log_groups(
    input: crate::operation::describe_log_groups::DescribeLogGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::LogGroup>> {
    let input = input.log_groups?;
    ::std::option::Option::Some(input)
}
