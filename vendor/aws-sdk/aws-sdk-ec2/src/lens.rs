
pub(crate) fn reflens_describe_dhcp_options_output_output_next_token(
    input: &crate::operation::describe_dhcp_options::DescribeDhcpOptionsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_egress_only_internet_gateways_output_output_next_token(
    input: &crate::operation::describe_egress_only_internet_gateways::DescribeEgressOnlyInternetGatewaysOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_flow_logs_output_output_next_token(
    input: &crate::operation::describe_flow_logs::DescribeFlowLogsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_iam_instance_profile_associations_output_output_next_token(
    input: &crate::operation::describe_iam_instance_profile_associations::DescribeIamInstanceProfileAssociationsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_images_output_output_next_token(
    input: &crate::operation::describe_images::DescribeImagesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_instance_credit_specifications_output_output_next_token(
    input: &crate::operation::describe_instance_credit_specifications::DescribeInstanceCreditSpecificationsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_instance_types_output_output_next_token(
    input: &crate::operation::describe_instance_types::DescribeInstanceTypesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_instances_output_output_next_token(
    input: &crate::operation::describe_instances::DescribeInstancesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_internet_gateways_output_output_next_token(
    input: &crate::operation::describe_internet_gateways::DescribeInternetGatewaysOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_launch_template_versions_output_output_next_token(
    input: &crate::operation::describe_launch_template_versions::DescribeLaunchTemplateVersionsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_launch_templates_output_output_next_token(
    input: &crate::operation::describe_launch_templates::DescribeLaunchTemplatesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_nat_gateways_output_output_next_token(
    input: &crate::operation::describe_nat_gateways::DescribeNatGatewaysOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_network_acls_output_output_next_token(
    input: &crate::operation::describe_network_acls::DescribeNetworkAclsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_route_tables_output_output_next_token(
    input: &crate::operation::describe_route_tables::DescribeRouteTablesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_security_group_rules_output_output_next_token(
    input: &crate::operation::describe_security_group_rules::DescribeSecurityGroupRulesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_security_groups_output_output_next_token(
    input: &crate::operation::describe_security_groups::DescribeSecurityGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_snapshots_output_output_next_token(
    input: &crate::operation::describe_snapshots::DescribeSnapshotsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_spot_instance_requests_output_output_next_token(
    input: &crate::operation::describe_spot_instance_requests::DescribeSpotInstanceRequestsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_subnets_output_output_next_token(
    input: &crate::operation::describe_subnets::DescribeSubnetsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_tags_output_output_next_token(
    input: &crate::operation::describe_tags::DescribeTagsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_volumes_output_output_next_token(
    input: &crate::operation::describe_volumes::DescribeVolumesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_volumes_modifications_output_output_next_token(
    input: &crate::operation::describe_volumes_modifications::DescribeVolumesModificationsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_vpc_endpoints_output_output_next_token(
    input: &crate::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_describe_vpcs_output_output_next_token(
    input: &crate::operation::describe_vpcs::DescribeVpcsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_dhcp_options_output_output_dhcp_options(
    input: crate::operation::describe_dhcp_options::DescribeDhcpOptionsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::DhcpOptions>> {
    let input = input.dhcp_options?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_egress_only_internet_gateways_output_output_egress_only_internet_gateways(
    input: crate::operation::describe_egress_only_internet_gateways::DescribeEgressOnlyInternetGatewaysOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::EgressOnlyInternetGateway>> {
    let input = input.egress_only_internet_gateways?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_flow_logs_output_output_flow_logs(
    input: crate::operation::describe_flow_logs::DescribeFlowLogsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::FlowLog>> {
    let input = input.flow_logs?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_iam_instance_profile_associations_output_output_iam_instance_profile_associations(
    input: crate::operation::describe_iam_instance_profile_associations::DescribeIamInstanceProfileAssociationsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::IamInstanceProfileAssociation>> {
    let input = input.iam_instance_profile_associations?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_images_output_output_images(
    input: crate::operation::describe_images::DescribeImagesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Image>> {
    let input = input.images?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_instance_credit_specifications_output_output_instance_credit_specifications(
    input: crate::operation::describe_instance_credit_specifications::DescribeInstanceCreditSpecificationsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::InstanceCreditSpecification>> {
    let input = input.instance_credit_specifications?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_instance_types_output_output_instance_types(
    input: crate::operation::describe_instance_types::DescribeInstanceTypesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::InstanceTypeInfo>> {
    let input = input.instance_types?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_instances_output_output_reservations(
    input: crate::operation::describe_instances::DescribeInstancesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Reservation>> {
    let input = input.reservations?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_internet_gateways_output_output_internet_gateways(
    input: crate::operation::describe_internet_gateways::DescribeInternetGatewaysOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::InternetGateway>> {
    let input = input.internet_gateways?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_launch_template_versions_output_output_launch_template_versions(
    input: crate::operation::describe_launch_template_versions::DescribeLaunchTemplateVersionsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::LaunchTemplateVersion>> {
    let input = input.launch_template_versions?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_launch_templates_output_output_launch_templates(
    input: crate::operation::describe_launch_templates::DescribeLaunchTemplatesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::LaunchTemplate>> {
    let input = input.launch_templates?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_nat_gateways_output_output_nat_gateways(
    input: crate::operation::describe_nat_gateways::DescribeNatGatewaysOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::NatGateway>> {
    let input = input.nat_gateways?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_network_acls_output_output_network_acls(
    input: crate::operation::describe_network_acls::DescribeNetworkAclsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::NetworkAcl>> {
    let input = input.network_acls?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_route_tables_output_output_route_tables(
    input: crate::operation::describe_route_tables::DescribeRouteTablesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::RouteTable>> {
    let input = input.route_tables?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_security_group_rules_output_output_security_group_rules(
    input: crate::operation::describe_security_group_rules::DescribeSecurityGroupRulesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::SecurityGroupRule>> {
    let input = input.security_group_rules?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_security_groups_output_output_security_groups(
    input: crate::operation::describe_security_groups::DescribeSecurityGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::SecurityGroup>> {
    let input = input.security_groups?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_snapshots_output_output_snapshots(
    input: crate::operation::describe_snapshots::DescribeSnapshotsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Snapshot>> {
    let input = input.snapshots?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_spot_instance_requests_output_output_spot_instance_requests(
    input: crate::operation::describe_spot_instance_requests::DescribeSpotInstanceRequestsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::SpotInstanceRequest>> {
    let input = input.spot_instance_requests?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_subnets_output_output_subnets(
    input: crate::operation::describe_subnets::DescribeSubnetsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Subnet>> {
    let input = input.subnets?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_tags_output_output_tags(
    input: crate::operation::describe_tags::DescribeTagsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::TagDescription>> {
    let input = input.tags?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_volumes_output_output_volumes(
    input: crate::operation::describe_volumes::DescribeVolumesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Volume>> {
    let input = input.volumes?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_volumes_modifications_output_output_volumes_modifications(
    input: crate::operation::describe_volumes_modifications::DescribeVolumesModificationsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::VolumeModification>> {
    let input = input.volumes_modifications?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_vpc_endpoints_output_output_vpc_endpoints(
    input: crate::operation::describe_vpc_endpoints::DescribeVpcEndpointsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::VpcEndpoint>> {
    let input = input.vpc_endpoints?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_describe_vpcs_output_output_vpcs(
    input: crate::operation::describe_vpcs::DescribeVpcsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Vpc>> {
    let input = input.vpcs?;
    ::std::option::Option::Some(input)
}
