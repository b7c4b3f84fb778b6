
pub(crate) fn create_cluster_output_output_correct_errors(
    mut builder: crate::operation::create_cluster::builders::CreateClusterOutputBuilder,
) -> crate::operation::create_cluster::builders::CreateClusterOutputBuilder {
    if builder.cluster_arn.is_none() {
        builder.cluster_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_code_repository_output_output_correct_errors(
    mut builder: crate::operation::create_code_repository::builders::CreateCodeRepositoryOutputBuilder,
) -> crate::operation::create_code_repository::builders::CreateCodeRepositoryOutputBuilder {
    if builder.code_repository_arn.is_none() {
        builder.code_repository_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_data_quality_job_definition_output_output_correct_errors(
    mut builder: crate::operation::create_data_quality_job_definition::builders::CreateDataQualityJobDefinitionOutputBuilder,
) -> crate::operation::create_data_quality_job_definition::builders::CreateDataQualityJobDefinitionOutputBuilder {
    if builder.job_definition_arn.is_none() {
        builder.job_definition_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_endpoint_output_output_correct_errors(
    mut builder: crate::operation::create_endpoint::builders::CreateEndpointOutputBuilder,
) -> crate::operation::create_endpoint::builders::CreateEndpointOutputBuilder {
    if builder.endpoint_arn.is_none() {
        builder.endpoint_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_endpoint_config_output_output_correct_errors(
    mut builder: crate::operation::create_endpoint_config::builders::CreateEndpointConfigOutputBuilder,
) -> crate::operation::create_endpoint_config::builders::CreateEndpointConfigOutputBuilder {
    if builder.endpoint_config_arn.is_none() {
        builder.endpoint_config_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_feature_group_output_output_correct_errors(
    mut builder: crate::operation::create_feature_group::builders::CreateFeatureGroupOutputBuilder,
) -> crate::operation::create_feature_group::builders::CreateFeatureGroupOutputBuilder {
    if builder.feature_group_arn.is_none() {
        builder.feature_group_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_model_output_output_correct_errors(
    mut builder: crate::operation::create_model::builders::CreateModelOutputBuilder,
) -> crate::operation::create_model::builders::CreateModelOutputBuilder {
    if builder.model_arn.is_none() {
        builder.model_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_model_package_group_output_output_correct_errors(
    mut builder: crate::operation::create_model_package_group::builders::CreateModelPackageGroupOutputBuilder,
) -> crate::operation::create_model_package_group::builders::CreateModelPackageGroupOutputBuilder {
    if builder.model_package_group_arn.is_none() {
        builder.model_package_group_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn create_monitoring_schedule_output_output_correct_errors(
    mut builder: crate::operation::create_monitoring_schedule::builders::CreateMonitoringScheduleOutputBuilder,
) -> crate::operation::create_monitoring_schedule::builders::CreateMonitoringScheduleOutputBuilder {
    if builder.monitoring_schedule_arn.is_none() {
        builder.monitoring_schedule_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn delete_cluster_output_output_correct_errors(
    mut builder: crate::operation::delete_cluster::builders::DeleteClusterOutputBuilder,
) -> crate::operation::delete_cluster::builders::DeleteClusterOutputBuilder {
    if builder.cluster_arn.is_none() {
        builder.cluster_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn describe_cluster_output_output_correct_errors(
    mut builder: crate::operation::describe_cluster::builders::DescribeClusterOutputBuilder,
) -> crate::operation::describe_cluster::builders::DescribeClusterOutputBuilder {
    if builder.cluster_arn.is_none() {
        builder.cluster_arn = Some(Default::default())
    }
    if builder.cluster_status.is_none() {
        builder.cluster_status = "no value was set".parse::<crate::types::ClusterStatus>().ok()
    }
    if builder.instance_groups.is_none() {
        builder.instance_groups = Some(Default::default())
    }
    builder
}

pub(crate) fn describe_code_repository_output_output_correct_errors(
    mut builder: crate::operation::describe_code_repository::builders::DescribeCodeRepositoryOutputBuilder,
) -> crate::operation::describe_code_repository::builders::DescribeCodeRepositoryOutputBuilder {
    if builder.code_repository_name.is_none() {
        builder.code_repository_name = Some(Default::default())
    }
    if builder.code_repository_arn.is_none() {
        builder.code_repository_arn = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.last_modified_time.is_none() {
        builder.last_modified_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn describe_data_quality_job_definition_output_output_correct_errors(
    mut builder: crate::operation::describe_data_quality_job_definition::builders::DescribeDataQualityJobDefinitionOutputBuilder,
) -> crate::operation::describe_data_quality_job_definition::builders::DescribeDataQualityJobDefinitionOutputBuilder {
    if builder.job_definition_arn.is_none() {
        builder.job_definition_arn = Some(Default::default())
    }
    if builder.job_definition_name.is_none() {
        builder.job_definition_name = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.data_quality_app_specification.is_none() {
        builder.data_quality_app_specification = {
            let builder = crate::types::builders::DataQualityAppSpecificationBuilder::default();
            Some(crate::serde_util::data_quality_app_specification_correct_errors(builder).build())
        }
    }
    if builder.data_quality_job_input.is_none() {
        builder.data_quality_job_input = {
            let builder = crate::types::builders::DataQualityJobInputBuilder::default();
            Some(builder.build())
        }
    }
    if builder.data_quality_job_output_config.is_none() {
        builder.data_quality_job_output_config = {
            let builder = crate::types::builders::MonitoringOutputConfigBuilder::default();
            Some(crate::serde_util::monitoring_output_config_correct_errors(builder).build())
        }
    }
    if builder.job_resources.is_none() {
        builder.job_resources = {
            let builder = crate::types::builders::MonitoringResourcesBuilder::default();
            Some(crate::serde_util::monitoring_resources_correct_errors(builder).build())
        }
    }
    if builder.role_arn.is_none() {
        builder.role_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn describe_endpoint_output_output_correct_errors(
    mut builder: crate::operation::describe_endpoint::builders::DescribeEndpointOutputBuilder,
) -> crate::operation::describe_endpoint::builders::DescribeEndpointOutputBuilder {
    if builder.endpoint_name.is_none() {
        builder.endpoint_name = Some(Default::default())
    }
    if builder.endpoint_arn.is_none() {
        builder.endpoint_arn = Some(Default::default())
    }
    if builder.endpoint_status.is_none() {
        builder.endpoint_status = "no value was set".parse::<crate::types::EndpointStatus>().ok()
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.last_modified_time.is_none() {
        builder.last_modified_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn describe_endpoint_config_output_output_correct_errors(
    mut builder: crate::operation::describe_endpoint_config::builders::DescribeEndpointConfigOutputBuilder,
) -> crate::operation::describe_endpoint_config::builders::DescribeEndpointConfigOutputBuilder {
    if builder.endpoint_config_name.is_none() {
        builder.endpoint_config_name = Some(Default::default())
    }
    if builder.endpoint_config_arn.is_none() {
        builder.endpoint_config_arn = Some(Default::default())
    }
    if builder.production_variants.is_none() {
        builder.production_variants = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn describe_feature_group_output_output_correct_errors(
    mut builder: crate::operation::describe_feature_group::builders::DescribeFeatureGroupOutputBuilder,
) -> crate::operation::describe_feature_group::builders::DescribeFeatureGroupOutputBuilder {
    if builder.feature_group_arn.is_none() {
        builder.feature_group_arn = Some(Default::default())
    }
    if builder.feature_group_name.is_none() {
        builder.feature_group_name = Some(Default::default())
    }
    if builder.record_identifier_feature_name.is_none() {
        builder.record_identifier_feature_name = Some(Default::default())
    }
    if builder.event_time_feature_name.is_none() {
        builder.event_time_feature_name = Some(Default::default())
    }
    if builder.feature_definitions.is_none() {
        builder.feature_definitions = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.next_token.is_none() {
        builder.next_token = Some(Default::default())
    }
    builder
}

pub(crate) fn describe_model_output_output_correct_errors(
    mut builder: crate::operation::describe_model::builders::DescribeModelOutputBuilder,
) -> crate::operation::describe_model::builders::DescribeModelOutputBuilder {
    if builder.model_name.is_none() {
        builder.model_name = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.model_arn.is_none() {
        builder.model_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn describe_model_package_group_output_output_correct_errors(
    mut builder: crate::operation::describe_model_package_group::builders::DescribeModelPackageGroupOutputBuilder,
) -> crate::operation::describe_model_package_group::builders::DescribeModelPackageGroupOutputBuilder {
    if builder.model_package_group_name.is_none() {
        builder.model_package_group_name = Some(Default::default())
    }
    if builder.model_package_group_arn.is_none() {
        builder.model_package_group_arn = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.created_by.is_none() {
        builder.created_by = {
            let builder = crate::types::builders::UserContextBuilder::default();
            Some(builder.build())
        }
    }
    if builder.model_package_group_status.is_none() {
        builder.model_package_group_status = "no value was set".parse::<crate::types::ModelPackageGroupStatus>().ok()
    }
    builder
}

pub(crate) fn describe_monitoring_schedule_output_output_correct_errors(
    mut builder: crate::operation::describe_monitoring_schedule::builders::DescribeMonitoringScheduleOutputBuilder,
) -> crate::operation::describe_monitoring_schedule::builders::DescribeMonitoringScheduleOutputBuilder {
    if builder.monitoring_schedule_arn.is_none() {
        builder.monitoring_schedule_arn = Some(Default::default())
    }
    if builder.monitoring_schedule_name.is_none() {
        builder.monitoring_schedule_name = Some(Default::default())
    }
    if builder.monitoring_schedule_status.is_none() {
        builder.monitoring_schedule_status = "no value was set".parse::<crate::types::ScheduleStatus>().ok()
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.last_modified_time.is_none() {
        builder.last_modified_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.monitoring_schedule_config.is_none() {
        builder.monitoring_schedule_config = {
            let builder = crate::types::builders::MonitoringScheduleConfigBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn list_code_repositories_output_output_correct_errors(
    mut builder: crate::operation::list_code_repositories::builders::ListCodeRepositoriesOutputBuilder,
) -> crate::operation::list_code_repositories::builders::ListCodeRepositoriesOutputBuilder {
    if builder.code_repository_summary_list.is_none() {
        builder.code_repository_summary_list = Some(Default::default())
    }
    builder
}

pub(crate) fn list_data_quality_job_definitions_output_output_correct_errors(
    mut builder: crate::operation::list_data_quality_job_definitions::builders::ListDataQualityJobDefinitionsOutputBuilder,
) -> crate::operation::list_data_quality_job_definitions::builders::ListDataQualityJobDefinitionsOutputBuilder {
    if builder.job_definition_summaries.is_none() {
        builder.job_definition_summaries = Some(Default::default())
    }
    builder
}

pub(crate) fn list_endpoint_configs_output_output_correct_errors(
    mut builder: crate::operation::list_endpoint_configs::builders::ListEndpointConfigsOutputBuilder,
) -> crate::operation::list_endpoint_configs::builders::ListEndpointConfigsOutputBuilder {
    if builder.endpoint_configs.is_none() {
        builder.endpoint_configs = Some(Default::default())
    }
    builder
}

pub(crate) fn list_endpoints_output_output_correct_errors(
    mut builder: crate::operation::list_endpoints::builders::ListEndpointsOutputBuilder,
) -> crate::operation::list_endpoints::builders::ListEndpointsOutputBuilder {
    if builder.endpoints.is_none() {
        builder.endpoints = Some(Default::default())
    }
    builder
}

pub(crate) fn list_feature_groups_output_output_correct_errors(
    mut builder: crate::operation::list_feature_groups::builders::ListFeatureGroupsOutputBuilder,
) -> crate::operation::list_feature_groups::builders::ListFeatureGroupsOutputBuilder {
    if builder.feature_group_summaries.is_none() {
        builder.feature_group_summaries = Some(Default::default())
    }
    builder
}

pub(crate) fn list_model_package_groups_output_output_correct_errors(
    mut builder: crate::operation::list_model_package_groups::builders::ListModelPackageGroupsOutputBuilder,
) -> crate::operation::list_model_package_groups::builders::ListModelPackageGroupsOutputBuilder {
    if builder.model_package_group_summary_list.is_none() {
        builder.model_package_group_summary_list = Some(Default::default())
    }
    builder
}

pub(crate) fn list_models_output_output_correct_errors(
    mut builder: crate::operation::list_models::builders::ListModelsOutputBuilder,
) -> crate::operation::list_models::builders::ListModelsOutputBuilder {
    if builder.models.is_none() {
        builder.models = Some(Default::default())
    }
    builder
}

pub(crate) fn list_monitoring_schedules_output_output_correct_errors(
    mut builder: crate::operation::list_monitoring_schedules::builders::ListMonitoringSchedulesOutputBuilder,
) -> crate::operation::list_monitoring_schedules::builders::ListMonitoringSchedulesOutputBuilder {
    if builder.monitoring_schedule_summaries.is_none() {
        builder.monitoring_schedule_summaries = Some(Default::default())
    }
    builder
}

pub(crate) fn update_cluster_output_output_correct_errors(
    mut builder: crate::operation::update_cluster::builders::UpdateClusterOutputBuilder,
) -> crate::operation::update_cluster::builders::UpdateClusterOutputBuilder {
    if builder.cluster_arn.is_none() {
        builder.cluster_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn update_code_repository_output_output_correct_errors(
    mut builder: crate::operation::update_code_repository::builders::UpdateCodeRepositoryOutputBuilder,
) -> crate::operation::update_code_repository::builders::UpdateCodeRepositoryOutputBuilder {
    if builder.code_repository_arn.is_none() {
        builder.code_repository_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn update_endpoint_output_output_correct_errors(
    mut builder: crate::operation::update_endpoint::builders::UpdateEndpointOutputBuilder,
) -> crate::operation::update_endpoint::builders::UpdateEndpointOutputBuilder {
    if builder.endpoint_arn.is_none() {
        builder.endpoint_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn update_monitoring_schedule_output_output_correct_errors(
    mut builder: crate::operation::update_monitoring_schedule::builders::UpdateMonitoringScheduleOutputBuilder,
) -> crate::operation::update_monitoring_schedule::builders::UpdateMonitoringScheduleOutputBuilder {
    if builder.monitoring_schedule_arn.is_none() {
        builder.monitoring_schedule_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn ai_benchmark_output_result_correct_errors(
    mut builder: crate::types::builders::AiBenchmarkOutputResultBuilder,
) -> crate::types::builders::AiBenchmarkOutputResultBuilder {
    if builder.s3_output_location.is_none() {
        builder.s3_output_location = Some(Default::default())
    }
    builder
}

pub(crate) fn ai_recommendation_output_result_correct_errors(
    mut builder: crate::types::builders::AiRecommendationOutputResultBuilder,
) -> crate::types::builders::AiRecommendationOutputResultBuilder {
    if builder.s3_output_location.is_none() {
        builder.s3_output_location = Some(Default::default())
    }
    builder
}

pub(crate) fn training_specification_correct_errors(
    mut builder: crate::types::builders::TrainingSpecificationBuilder,
) -> crate::types::builders::TrainingSpecificationBuilder {
    if builder.training_image.is_none() {
        builder.training_image = Some(Default::default())
    }
    if builder.supported_training_instance_types.is_none() {
        builder.supported_training_instance_types = Some(Default::default())
    }
    if builder.training_channels.is_none() {
        builder.training_channels = Some(Default::default())
    }
    builder
}

pub(crate) fn auto_ml_output_data_config_correct_errors(
    mut builder: crate::types::builders::AutoMlOutputDataConfigBuilder,
) -> crate::types::builders::AutoMlOutputDataConfigBuilder {
    if builder.s3_output_path.is_none() {
        builder.s3_output_path = Some(Default::default())
    }
    builder
}

pub(crate) fn model_artifacts_correct_errors(
    mut builder: crate::types::builders::ModelArtifactsBuilder,
) -> crate::types::builders::ModelArtifactsBuilder {
    if builder.s3_model_artifacts.is_none() {
        builder.s3_model_artifacts = Some(Default::default())
    }
    builder
}

pub(crate) fn input_config_correct_errors(mut builder: crate::types::builders::InputConfigBuilder) -> crate::types::builders::InputConfigBuilder {
    if builder.s3_uri.is_none() {
        builder.s3_uri = Some(Default::default())
    }
    if builder.framework.is_none() {
        builder.framework = "no value was set".parse::<crate::types::Framework>().ok()
    }
    builder
}

pub(crate) fn output_config_correct_errors(mut builder: crate::types::builders::OutputConfigBuilder) -> crate::types::builders::OutputConfigBuilder {
    if builder.s3_output_location.is_none() {
        builder.s3_output_location = Some(Default::default())
    }
    builder
}

pub(crate) fn compute_quota_target_correct_errors(
    mut builder: crate::types::builders::ComputeQuotaTargetBuilder,
) -> crate::types::builders::ComputeQuotaTargetBuilder {
    if builder.team_name.is_none() {
        builder.team_name = Some(Default::default())
    }
    builder
}

pub(crate) fn data_quality_app_specification_correct_errors(
    mut builder: crate::types::builders::DataQualityAppSpecificationBuilder,
) -> crate::types::builders::DataQualityAppSpecificationBuilder {
    if builder.image_uri.is_none() {
        builder.image_uri = Some(Default::default())
    }
    builder
}

pub(crate) fn monitoring_output_config_correct_errors(
    mut builder: crate::types::builders::MonitoringOutputConfigBuilder,
) -> crate::types::builders::MonitoringOutputConfigBuilder {
    if builder.monitoring_outputs.is_none() {
        builder.monitoring_outputs = Some(Default::default())
    }
    builder
}

pub(crate) fn monitoring_resources_correct_errors(
    mut builder: crate::types::builders::MonitoringResourcesBuilder,
) -> crate::types::builders::MonitoringResourcesBuilder {
    if builder.cluster_config.is_none() {
        builder.cluster_config = {
            let builder = crate::types::builders::MonitoringClusterConfigBuilder::default();
            Some(crate::serde_util::monitoring_cluster_config_correct_errors(builder).build())
        }
    }
    builder
}

pub(crate) fn edge_output_config_correct_errors(
    mut builder: crate::types::builders::EdgeOutputConfigBuilder,
) -> crate::types::builders::EdgeOutputConfigBuilder {
    if builder.s3_output_location.is_none() {
        builder.s3_output_location = Some(Default::default())
    }
    builder
}

pub(crate) fn flow_definition_output_config_correct_errors(
    mut builder: crate::types::builders::FlowDefinitionOutputConfigBuilder,
) -> crate::types::builders::FlowDefinitionOutputConfigBuilder {
    if builder.s3_output_path.is_none() {
        builder.s3_output_path = Some(Default::default())
    }
    builder
}

pub(crate) fn hyper_parameter_tuning_job_config_correct_errors(
    mut builder: crate::types::builders::HyperParameterTuningJobConfigBuilder,
) -> crate::types::builders::HyperParameterTuningJobConfigBuilder {
    if builder.strategy.is_none() {
        builder.strategy = "no value was set".parse::<crate::types::HyperParameterTuningJobStrategyType>().ok()
    }
    if builder.resource_limits.is_none() {
        builder.resource_limits = {
            let builder = crate::types::builders::ResourceLimitsBuilder::default();
            Some(crate::serde_util::resource_limits_correct_errors(builder).build())
        }
    }
    builder
}

pub(crate) fn endpoint_metadata_correct_errors(
    mut builder: crate::types::builders::EndpointMetadataBuilder,
) -> crate::types::builders::EndpointMetadataBuilder {
    if builder.endpoint_name.is_none() {
        builder.endpoint_name = Some(Default::default())
    }
    builder
}

pub(crate) fn labeling_job_input_config_correct_errors(
    mut builder: crate::types::builders::LabelingJobInputConfigBuilder,
) -> crate::types::builders::LabelingJobInputConfigBuilder {
    if builder.data_source.is_none() {
        builder.data_source = {
            let builder = crate::types::builders::LabelingJobDataSourceBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn labeling_job_output_config_correct_errors(
    mut builder: crate::types::builders::LabelingJobOutputConfigBuilder,
) -> crate::types::builders::LabelingJobOutputConfigBuilder {
    if builder.s3_output_path.is_none() {
        builder.s3_output_path = Some(Default::default())
    }
    builder
}

pub(crate) fn human_task_config_correct_errors(
    mut builder: crate::types::builders::HumanTaskConfigBuilder,
) -> crate::types::builders::HumanTaskConfigBuilder {
    if builder.workteam_arn.is_none() {
        builder.workteam_arn = Some(Default::default())
    }
    if builder.ui_config.is_none() {
        builder.ui_config = {
            let builder = crate::types::builders::UiConfigBuilder::default();
            Some(builder.build())
        }
    }
    if builder.task_title.is_none() {
        builder.task_title = Some(Default::default())
    }
    if builder.task_description.is_none() {
        builder.task_description = Some(Default::default())
    }
    if builder.number_of_human_workers_per_data_object.is_none() {
        builder.number_of_human_workers_per_data_object = Some(Default::default())
    }
    if builder.task_time_limit_in_seconds.is_none() {
        builder.task_time_limit_in_seconds = Some(Default::default())
    }
    builder
}

pub(crate) fn model_bias_app_specification_correct_errors(
    mut builder: crate::types::builders::ModelBiasAppSpecificationBuilder,
) -> crate::types::builders::ModelBiasAppSpecificationBuilder {
    if builder.image_uri.is_none() {
        builder.image_uri = Some(Default::default())
    }
    if builder.config_uri.is_none() {
        builder.config_uri = Some(Default::default())
    }
    builder
}

pub(crate) fn model_bias_job_input_correct_errors(
    mut builder: crate::types::builders::ModelBiasJobInputBuilder,
) -> crate::types::builders::ModelBiasJobInputBuilder {
    if builder.ground_truth_s3_input.is_none() {
        builder.ground_truth_s3_input = {
            let builder = crate::types::builders::MonitoringGroundTruthS3InputBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn model_card_export_output_config_correct_errors(
    mut builder: crate::types::builders::ModelCardExportOutputConfigBuilder,
) -> crate::types::builders::ModelCardExportOutputConfigBuilder {
    if builder.s3_output_path.is_none() {
        builder.s3_output_path = Some(Default::default())
    }
    builder
}

pub(crate) fn model_explainability_app_specification_correct_errors(
    mut builder: crate::types::builders::ModelExplainabilityAppSpecificationBuilder,
) -> crate::types::builders::ModelExplainabilityAppSpecificationBuilder {
    if builder.image_uri.is_none() {
        builder.image_uri = Some(Default::default())
    }
    if builder.config_uri.is_none() {
        builder.config_uri = Some(Default::default())
    }
    builder
}

pub(crate) fn model_package_status_details_correct_errors(
    mut builder: crate::types::builders::ModelPackageStatusDetailsBuilder,
) -> crate::types::builders::ModelPackageStatusDetailsBuilder {
    if builder.validation_statuses.is_none() {
        builder.validation_statuses = Some(Default::default())
    }
    builder
}

pub(crate) fn model_quality_app_specification_correct_errors(
    mut builder: crate::types::builders::ModelQualityAppSpecificationBuilder,
) -> crate::types::builders::ModelQualityAppSpecificationBuilder {
    if builder.image_uri.is_none() {
        builder.image_uri = Some(Default::default())
    }
    builder
}

pub(crate) fn model_quality_job_input_correct_errors(
    mut builder: crate::types::builders::ModelQualityJobInputBuilder,
) -> crate::types::builders::ModelQualityJobInputBuilder {
    if builder.ground_truth_s3_input.is_none() {
        builder.ground_truth_s3_input = {
            let builder = crate::types::builders::MonitoringGroundTruthS3InputBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn optimization_job_output_config_correct_errors(
    mut builder: crate::types::builders::OptimizationJobOutputConfigBuilder,
) -> crate::types::builders::OptimizationJobOutputConfigBuilder {
    if builder.s3_output_location.is_none() {
        builder.s3_output_location = Some(Default::default())
    }
    builder
}

pub(crate) fn processing_resources_correct_errors(
    mut builder: crate::types::builders::ProcessingResourcesBuilder,
) -> crate::types::builders::ProcessingResourcesBuilder {
    if builder.cluster_config.is_none() {
        builder.cluster_config = {
            let builder = crate::types::builders::ProcessingClusterConfigBuilder::default();
            Some(crate::serde_util::processing_cluster_config_correct_errors(builder).build())
        }
    }
    builder
}

pub(crate) fn app_specification_correct_errors(
    mut builder: crate::types::builders::AppSpecificationBuilder,
) -> crate::types::builders::AppSpecificationBuilder {
    if builder.image_uri.is_none() {
        builder.image_uri = Some(Default::default())
    }
    builder
}

pub(crate) fn subscribed_workteam_correct_errors(
    mut builder: crate::types::builders::SubscribedWorkteamBuilder,
) -> crate::types::builders::SubscribedWorkteamBuilder {
    if builder.workteam_arn.is_none() {
        builder.workteam_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn training_session_detail_correct_errors(
    mut builder: crate::types::builders::TrainingSessionDetailBuilder,
) -> crate::types::builders::TrainingSessionDetailBuilder {
    if builder.training_session_arn.is_none() {
        builder.training_session_arn = Some(Default::default())
    }
    if builder.training_session_name.is_none() {
        builder.training_session_name = Some(Default::default())
    }
    if builder.training_session_status.is_none() {
        builder.training_session_status = "no value was set".parse::<crate::types::TrainingSessionStatus>().ok()
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn transform_input_correct_errors(
    mut builder: crate::types::builders::TransformInputBuilder,
) -> crate::types::builders::TransformInputBuilder {
    if builder.data_source.is_none() {
        builder.data_source = {
            let builder = crate::types::builders::TransformDataSourceBuilder::default();
            Some(crate::serde_util::transform_data_source_correct_errors(builder).build())
        }
    }
    builder
}

pub(crate) fn transform_resources_correct_errors(
    mut builder: crate::types::builders::TransformResourcesBuilder,
) -> crate::types::builders::TransformResourcesBuilder {
    if builder.instance_type.is_none() {
        builder.instance_type = "no value was set".parse::<crate::types::TransformInstanceType>().ok()
    }
    if builder.instance_count.is_none() {
        builder.instance_count = Some(Default::default())
    }
    builder
}

pub(crate) fn workforce_correct_errors(mut builder: crate::types::builders::WorkforceBuilder) -> crate::types::builders::WorkforceBuilder {
    if builder.workforce_name.is_none() {
        builder.workforce_name = Some(Default::default())
    }
    if builder.workforce_arn.is_none() {
        builder.workforce_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn workteam_correct_errors(mut builder: crate::types::builders::WorkteamBuilder) -> crate::types::builders::WorkteamBuilder {
    if builder.workteam_name.is_none() {
        builder.workteam_name = Some(Default::default())
    }
    if builder.member_definitions.is_none() {
        builder.member_definitions = Some(Default::default())
    }
    if builder.workteam_arn.is_none() {
        builder.workteam_arn = Some(Default::default())
    }
    if builder.description.is_none() {
        builder.description = Some(Default::default())
    }
    builder
}

pub(crate) fn monitoring_cluster_config_correct_errors(
    mut builder: crate::types::builders::MonitoringClusterConfigBuilder,
) -> crate::types::builders::MonitoringClusterConfigBuilder {
    if builder.instance_count.is_none() {
        builder.instance_count = Some(Default::default())
    }
    if builder.instance_type.is_none() {
        builder.instance_type = "no value was set".parse::<crate::types::ProcessingInstanceType>().ok()
    }
    if builder.volume_size_in_gb.is_none() {
        builder.volume_size_in_gb = Some(Default::default())
    }
    builder
}

pub(crate) fn resource_limits_correct_errors(
    mut builder: crate::types::builders::ResourceLimitsBuilder,
) -> crate::types::builders::ResourceLimitsBuilder {
    if builder.max_parallel_training_jobs.is_none() {
        builder.max_parallel_training_jobs = Some(Default::default())
    }
    builder
}

pub(crate) fn processing_cluster_config_correct_errors(
    mut builder: crate::types::builders::ProcessingClusterConfigBuilder,
) -> crate::types::builders::ProcessingClusterConfigBuilder {
    if builder.volume_size_in_gb.is_none() {
        builder.volume_size_in_gb = Some(Default::default())
    }
    builder
}

pub(crate) fn transform_data_source_correct_errors(
    mut builder: crate::types::builders::TransformDataSourceBuilder,
) -> crate::types::builders::TransformDataSourceBuilder {
    if builder.s3_data_source.is_none() {
        builder.s3_data_source = {
            let builder = crate::types::builders::TransformS3DataSourceBuilder::default();
            Some(crate::serde_util::transform_s3_data_source_correct_errors(builder).build())
        }
    }
    builder
}

pub(crate) fn transform_s3_data_source_correct_errors(
    mut builder: crate::types::builders::TransformS3DataSourceBuilder,
) -> crate::types::builders::TransformS3DataSourceBuilder {
    if builder.s3_data_type.is_none() {
        builder.s3_data_type = "no value was set".parse::<crate::types::S3DataType>().ok()
    }
    if builder.s3_uri.is_none() {
        builder.s3_uri = Some(Default::default())
    }
    builder
}
