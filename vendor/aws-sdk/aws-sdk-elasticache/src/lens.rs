
pub(crate) fn reflens_describe_cache_subnet_groups_output_output_marker(
    input: &crate::operation::describe_cache_subnet_groups::DescribeCacheSubnetGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_snapshots_output_output_marker(
    input: &crate::operation::describe_snapshots::DescribeSnapshotsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_cache_subnet_groups_output_output_cache_subnet_groups(
    input: crate::operation::describe_cache_subnet_groups::DescribeCacheSubnetGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::CacheSubnetGroup>> {
    let input = input.cache_subnet_groups?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_snapshots_output_output_snapshots(
    input: crate::operation::describe_snapshots::DescribeSnapshotsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Snapshot>> {
    let input = input.snapshots?;
    ::std::option::Option::Some(input)
}
