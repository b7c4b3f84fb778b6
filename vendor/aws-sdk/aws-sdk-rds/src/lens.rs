
pub(crate) fn reflens_describe_db_subnet_groups_output_output_marker(
    input: &crate::operation::describe_db_subnet_groups::DescribeDbSubnetGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_db_subnet_groups_output_output_db_subnet_groups(
    input: crate::operation::describe_db_subnet_groups::DescribeDbSubnetGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::DbSubnetGroup>> {
    let input = input.db_subnet_groups?;
    ::std::option::Option::Some(input)
}
