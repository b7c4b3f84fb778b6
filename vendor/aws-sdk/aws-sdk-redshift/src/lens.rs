
pub(crate) fn reflens_describe_cluster_subnet_groups_output_output_marker(
    input: &crate::operation::describe_cluster_subnet_groups::DescribeClusterSubnetGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_clusters_output_output_marker(
    input: &crate::operation::describe_clusters::DescribeClustersOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_tags_output_output_marker(
    input: &crate::operation::describe_tags::DescribeTagsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.marker {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_cluster_subnet_groups_output_output_cluster_subnet_groups(
    input: crate::operation::describe_cluster_subnet_groups::DescribeClusterSubnetGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::ClusterSubnetGroup>> {
    let input = input.cluster_subnet_groups?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_clusters_output_output_clusters(
    input: crate::operation::describe_clusters::DescribeClustersOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Cluster>> {
    let input = input.clusters?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_tags_output_output_tagged_resources(
    input: crate::operation::describe_tags::DescribeTagsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::TaggedResource>> {
    let input = input.tagged_resources?;
    ::std::option::Option::Some(input)
}
