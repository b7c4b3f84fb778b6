
pub(crate) fn reflens_list_aliases_output_output_next_token(
    input: &crate::operation::list_aliases::ListAliasesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_code_repositories_output_output_next_token(
    input: &crate::operation::list_code_repositories::ListCodeRepositoriesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_data_quality_job_definitions_output_output_next_token(
    input: &crate::operation::list_data_quality_job_definitions::ListDataQualityJobDefinitionsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_domains_output_output_next_token(
    input: &crate::operation::list_domains::ListDomainsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_endpoint_configs_output_output_next_token(
    input: &crate::operation::list_endpoint_configs::ListEndpointConfigsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_endpoints_output_output_next_token(
    input: &crate::operation::list_endpoints::ListEndpointsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_feature_groups_output_output_next_token(
    input: &crate::operation::list_feature_groups::ListFeatureGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_model_package_groups_output_output_next_token(
    input: &crate::operation::list_model_package_groups::ListModelPackageGroupsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_models_output_output_next_token(
    input: &crate::operation::list_models::ListModelsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_monitoring_schedules_output_output_next_token(
    input: &crate::operation::list_monitoring_schedules::ListMonitoringSchedulesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_notebook_instances_output_output_next_token(
    input: &crate::operation::list_notebook_instances::ListNotebookInstancesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_pipelines_output_output_next_token(
    input: &crate::operation::list_pipelines::ListPipelinesOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_list_tags_output_output_next_token(
    input: &crate::operation::list_tags::ListTagsOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn reflens_search_output_output_next_token(
    input: &crate::operation::search::SearchOutput,
) -> ::std::option::Option<&::std::string::String> {
    let input = match &input.next_token {
        ::std::option::Option::None => return ::std::option::Option::None,
        ::std::option::Option::Some(t) => t,
    };
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_aliases_output_output_sage_maker_image_version_aliases(
    input: crate::operation::list_aliases::ListAliasesOutput,
) -> ::std::option::Option<::std::vec::Vec<::std::string::String>> {
    let input = input.sage_maker_image_version_aliases?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_code_repositories_output_output_code_repository_summary_list(
    input: crate::operation::list_code_repositories::ListCodeRepositoriesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::CodeRepositorySummary>> {
    let input = input.code_repository_summary_list?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_data_quality_job_definitions_output_output_job_definition_summaries(
    input: crate::operation::list_data_quality_job_definitions::ListDataQualityJobDefinitionsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::MonitoringJobDefinitionSummary>> {
    let input = input.job_definition_summaries?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_domains_output_output_domains(
    input: crate::operation::list_domains::ListDomainsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::DomainDetails>> {
    let input = input.domains?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_endpoint_configs_output_output_endpoint_configs(
    input: crate::operation::list_endpoint_configs::ListEndpointConfigsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::EndpointConfigSummary>> {
    let input = input.endpoint_configs?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_endpoints_output_output_endpoints(
    input: crate::operation::list_endpoints::ListEndpointsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::EndpointSummary>> {
    let input = input.endpoints?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_feature_groups_output_output_feature_group_summaries(
    input: crate::operation::list_feature_groups::ListFeatureGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::FeatureGroupSummary>> {
    let input = input.feature_group_summaries?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_model_package_groups_output_output_model_package_group_summary_list(
    input: crate::operation::list_model_package_groups::ListModelPackageGroupsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::ModelPackageGroupSummary>> {
    let input = input.model_package_group_summary_list?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_models_output_output_models(
    input: crate::operation::list_models::ListModelsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::ModelSummary>> {
    let input = input.models?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_monitoring_schedules_output_output_monitoring_schedule_summaries(
    input: crate::operation::list_monitoring_schedules::ListMonitoringSchedulesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::MonitoringScheduleSummary>> {
    let input = input.monitoring_schedule_summaries?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_notebook_instances_output_output_notebook_instances(
    input: crate::operation::list_notebook_instances::ListNotebookInstancesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::NotebookInstanceSummary>> {
    let input = input.notebook_instances?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_pipelines_output_output_pipeline_summaries(
    input: crate::operation::list_pipelines::ListPipelinesOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::PipelineSummary>> {
    let input = input.pipeline_summaries?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_list_tags_output_output_tags(
    input: crate::operation::list_tags::ListTagsOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::Tag>> {
    let input = input.tags?;
    ::std::option::Option::Some(input)
}

pub(crate) fn lens_search_output_output_results(
    input: crate::operation::search::SearchOutput,
) -> ::std::option::Option<::std::vec::Vec<crate::types::SearchRecord>> {
    let input = input.results?;
    ::std::option::Option::Some(input)
}
