
pub(crate) fn reflens_list_task_definitions_output_output_next_token(
    input: &crate::operation::list_task_definitions::ListTaskDefinitionsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_task_definitions_output_output_task_definition_arns(
    input: crate::operation::list_task_definitions::ListTaskDefinitionsOutput,
) -> ::std::option::Option<::std::vec::Vec<::std::string::String>> {
    let input = input.task_definition_arns?;
    ::std::option::Option::Some(input)
}
