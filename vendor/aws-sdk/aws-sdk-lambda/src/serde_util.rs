
pub(crate) fn capacity_provider_correct_errors(
    mut builder: crate::types::builders::CapacityProviderBuilder,
) -> crate::types::builders::CapacityProviderBuilder {
    if builder.capacity_provider_arn.is_none() {
        builder.capacity_provider_arn = Some(Default::default())
    }
    if builder.state.is_none() {
        builder.state = "no value was set".parse::<crate::types::CapacityProviderState>().ok()
    }
    if builder.vpc_config.is_none() {
        builder.vpc_config = {
            let builder = crate::types::builders::CapacityProviderVpcConfigBuilder::default();
            crate::serde_util::capacity_provider_vpc_config_correct_errors(builder).build().ok()
        }
    }
    if builder.permissions_config.is_none() {
        builder.permissions_config = {
            let builder = crate::types::builders::CapacityProviderPermissionsConfigBuilder::default();
            crate::serde_util::capacity_provider_permissions_config_correct_errors(builder)
                .build()
                .ok()
        }
    }
    builder
}

pub(crate) fn code_signing_config_correct_errors(
    mut builder: crate::types::builders::CodeSigningConfigBuilder,
) -> crate::types::builders::CodeSigningConfigBuilder {
    if builder.code_signing_config_id.is_none() {
        builder.code_signing_config_id = Some(Default::default())
    }
    if builder.code_signing_config_arn.is_none() {
        builder.code_signing_config_arn = Some(Default::default())
    }
    if builder.allowed_publishers.is_none() {
        builder.allowed_publishers = {
            let builder = crate::types::builders::AllowedPublishersBuilder::default();
            crate::serde_util::allowed_publishers_correct_errors(builder).build().ok()
        }
    }
    if builder.code_signing_policies.is_none() {
        builder.code_signing_policies = {
            let builder = crate::types::builders::CodeSigningPoliciesBuilder::default();
            Some(builder.build())
        }
    }
    if builder.last_modified.is_none() {
        builder.last_modified = Some(Default::default())
    }
    builder
}

pub(crate) fn capacity_provider_config_correct_errors(
    mut builder: crate::types::builders::CapacityProviderConfigBuilder,
) -> crate::types::builders::CapacityProviderConfigBuilder {
    if builder.lambda_managed_instances_capacity_provider_config.is_none() {
        builder.lambda_managed_instances_capacity_provider_config = {
            let builder = crate::types::builders::LambdaManagedInstancesCapacityProviderConfigBuilder::default();
            crate::serde_util::lambda_managed_instances_capacity_provider_config_correct_errors(builder)
                .build()
                .ok()
        }
    }
    builder
}

pub(crate) fn ephemeral_storage_correct_errors(
    mut builder: crate::types::builders::EphemeralStorageBuilder,
) -> crate::types::builders::EphemeralStorageBuilder {
    if builder.size.is_none() {
        builder.size = Some(Default::default())
    }
    builder
}

pub(crate) fn tags_error_correct_errors(mut builder: crate::types::builders::TagsErrorBuilder) -> crate::types::builders::TagsErrorBuilder {
    if builder.error_code.is_none() {
        builder.error_code = Some(Default::default())
    }
    if builder.message.is_none() {
        builder.message = Some(Default::default())
    }
    builder
}

pub(crate) fn tenancy_config_correct_errors(
    mut builder: crate::types::builders::TenancyConfigBuilder,
) -> crate::types::builders::TenancyConfigBuilder {
    if builder.tenant_isolation_mode.is_none() {
        builder.tenant_isolation_mode = "no value was set".parse::<crate::types::TenantIsolationMode>().ok()
    }
    builder
}

pub(crate) fn capacity_provider_vpc_config_correct_errors(
    mut builder: crate::types::builders::CapacityProviderVpcConfigBuilder,
) -> crate::types::builders::CapacityProviderVpcConfigBuilder {
    if builder.subnet_ids.is_none() {
        builder.subnet_ids = Some(Default::default())
    }
    if builder.security_group_ids.is_none() {
        builder.security_group_ids = Some(Default::default())
    }
    builder
}

pub(crate) fn capacity_provider_permissions_config_correct_errors(
    mut builder: crate::types::builders::CapacityProviderPermissionsConfigBuilder,
) -> crate::types::builders::CapacityProviderPermissionsConfigBuilder {
    if builder.capacity_provider_operator_role_arn.is_none() {
        builder.capacity_provider_operator_role_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn allowed_publishers_correct_errors(
    mut builder: crate::types::builders::AllowedPublishersBuilder,
) -> crate::types::builders::AllowedPublishersBuilder {
    if builder.signing_profile_version_arns.is_none() {
        builder.signing_profile_version_arns = Some(Default::default())
    }
    builder
}

pub(crate) fn execution_correct_errors(mut builder: crate::types::builders::ExecutionBuilder) -> crate::types::builders::ExecutionBuilder {
    if builder.durable_execution_arn.is_none() {
        builder.durable_execution_arn = Some(Default::default())
    }
    if builder.durable_execution_name.is_none() {
        builder.durable_execution_name = Some(Default::default())
    }
    if builder.function_arn.is_none() {
        builder.function_arn = Some(Default::default())
    }
    if builder.status.is_none() {
        builder.status = "no value was set".parse::<crate::types::ExecutionStatus>().ok()
    }
    if builder.start_timestamp.is_none() {
        builder.start_timestamp = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn file_system_config_correct_errors(
    mut builder: crate::types::builders::FileSystemConfigBuilder,
) -> crate::types::builders::FileSystemConfigBuilder {
    if builder.arn.is_none() {
        builder.arn = Some(Default::default())
    }
    if builder.local_mount_path.is_none() {
        builder.local_mount_path = Some(Default::default())
    }
    builder
}

pub(crate) fn function_url_config_correct_errors(
    mut builder: crate::types::builders::FunctionUrlConfigBuilder,
) -> crate::types::builders::FunctionUrlConfigBuilder {
    if builder.function_url.is_none() {
        builder.function_url = Some(Default::default())
    }
    if builder.function_arn.is_none() {
        builder.function_arn = Some(Default::default())
    }
    if builder.creation_time.is_none() {
        builder.creation_time = Some(Default::default())
    }
    if builder.last_modified_time.is_none() {
        builder.last_modified_time = Some(Default::default())
    }
    if builder.auth_type.is_none() {
        builder.auth_type = "no value was set".parse::<crate::types::FunctionUrlAuthType>().ok()
    }
    builder
}

pub(crate) fn function_versions_by_capacity_provider_list_item_correct_errors(
    mut builder: crate::types::builders::FunctionVersionsByCapacityProviderListItemBuilder,
) -> crate::types::builders::FunctionVersionsByCapacityProviderListItemBuilder {
    if builder.function_arn.is_none() {
        builder.function_arn = Some(Default::default())
    }
    if builder.state.is_none() {
        builder.state = "no value was set".parse::<crate::types::State>().ok()
    }
    builder
}

pub(crate) fn lambda_managed_instances_capacity_provider_config_correct_errors(
    mut builder: crate::types::builders::LambdaManagedInstancesCapacityProviderConfigBuilder,
) -> crate::types::builders::LambdaManagedInstancesCapacityProviderConfigBuilder {
    if builder.capacity_provider_arn.is_none() {
        builder.capacity_provider_arn = Some(Default::default())
    }
    builder
}

pub(crate) fn operation_correct_errors(mut builder: crate::types::builders::OperationBuilder) -> crate::types::builders::OperationBuilder {
    if builder.id.is_none() {
        builder.id = Some(Default::default())
    }
    if builder.r#type.is_none() {
        builder.r#type = "no value was set".parse::<crate::types::OperationType>().ok()
    }
    if builder.start_timestamp.is_none() {
        builder.start_timestamp = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.status.is_none() {
        builder.status = "no value was set".parse::<crate::types::OperationStatus>().ok()
    }
    builder
}

pub(crate) fn callback_failed_details_correct_errors(
    mut builder: crate::types::builders::CallbackFailedDetailsBuilder,
) -> crate::types::builders::CallbackFailedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn callback_started_details_correct_errors(
    mut builder: crate::types::builders::CallbackStartedDetailsBuilder,
) -> crate::types::builders::CallbackStartedDetailsBuilder {
    if builder.callback_id.is_none() {
        builder.callback_id = Some(Default::default())
    }
    builder
}

pub(crate) fn callback_succeeded_details_correct_errors(
    mut builder: crate::types::builders::CallbackSucceededDetailsBuilder,
) -> crate::types::builders::CallbackSucceededDetailsBuilder {
    if builder.result.is_none() {
        builder.result = {
            let builder = crate::types::builders::EventResultBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn callback_timed_out_details_correct_errors(
    mut builder: crate::types::builders::CallbackTimedOutDetailsBuilder,
) -> crate::types::builders::CallbackTimedOutDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn chained_invoke_failed_details_correct_errors(
    mut builder: crate::types::builders::ChainedInvokeFailedDetailsBuilder,
) -> crate::types::builders::ChainedInvokeFailedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn chained_invoke_started_details_correct_errors(
    mut builder: crate::types::builders::ChainedInvokeStartedDetailsBuilder,
) -> crate::types::builders::ChainedInvokeStartedDetailsBuilder {
    if builder.function_name.is_none() {
        builder.function_name = Some(Default::default())
    }
    builder
}

pub(crate) fn chained_invoke_stopped_details_correct_errors(
    mut builder: crate::types::builders::ChainedInvokeStoppedDetailsBuilder,
) -> crate::types::builders::ChainedInvokeStoppedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn chained_invoke_succeeded_details_correct_errors(
    mut builder: crate::types::builders::ChainedInvokeSucceededDetailsBuilder,
) -> crate::types::builders::ChainedInvokeSucceededDetailsBuilder {
    if builder.result.is_none() {
        builder.result = {
            let builder = crate::types::builders::EventResultBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn chained_invoke_timed_out_details_correct_errors(
    mut builder: crate::types::builders::ChainedInvokeTimedOutDetailsBuilder,
) -> crate::types::builders::ChainedInvokeTimedOutDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn context_failed_details_correct_errors(
    mut builder: crate::types::builders::ContextFailedDetailsBuilder,
) -> crate::types::builders::ContextFailedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn context_succeeded_details_correct_errors(
    mut builder: crate::types::builders::ContextSucceededDetailsBuilder,
) -> crate::types::builders::ContextSucceededDetailsBuilder {
    if builder.result.is_none() {
        builder.result = {
            let builder = crate::types::builders::EventResultBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn execution_failed_details_correct_errors(
    mut builder: crate::types::builders::ExecutionFailedDetailsBuilder,
) -> crate::types::builders::ExecutionFailedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn execution_started_details_correct_errors(
    mut builder: crate::types::builders::ExecutionStartedDetailsBuilder,
) -> crate::types::builders::ExecutionStartedDetailsBuilder {
    if builder.input.is_none() {
        builder.input = {
            let builder = crate::types::builders::EventInputBuilder::default();
            Some(builder.build())
        }
    }
    if builder.execution_timeout.is_none() {
        builder.execution_timeout = Some(Default::default())
    }
    builder
}

pub(crate) fn execution_stopped_details_correct_errors(
    mut builder: crate::types::builders::ExecutionStoppedDetailsBuilder,
) -> crate::types::builders::ExecutionStoppedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn execution_succeeded_details_correct_errors(
    mut builder: crate::types::builders::ExecutionSucceededDetailsBuilder,
) -> crate::types::builders::ExecutionSucceededDetailsBuilder {
    if builder.result.is_none() {
        builder.result = {
            let builder = crate::types::builders::EventResultBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn invocation_completed_details_correct_errors(
    mut builder: crate::types::builders::InvocationCompletedDetailsBuilder,
) -> crate::types::builders::InvocationCompletedDetailsBuilder {
    if builder.start_timestamp.is_none() {
        builder.start_timestamp = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.end_timestamp.is_none() {
        builder.end_timestamp = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    if builder.request_id.is_none() {
        builder.request_id = Some(Default::default())
    }
    builder
}

pub(crate) fn step_failed_details_correct_errors(
    mut builder: crate::types::builders::StepFailedDetailsBuilder,
) -> crate::types::builders::StepFailedDetailsBuilder {
    if builder.error.is_none() {
        builder.error = {
            let builder = crate::types::builders::EventErrorBuilder::default();
            Some(builder.build())
        }
    }
    if builder.retry_details.is_none() {
        builder.retry_details = {
            let builder = crate::types::builders::RetryDetailsBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn step_succeeded_details_correct_errors(
    mut builder: crate::types::builders::StepSucceededDetailsBuilder,
) -> crate::types::builders::StepSucceededDetailsBuilder {
    if builder.result.is_none() {
        builder.result = {
            let builder = crate::types::builders::EventResultBuilder::default();
            Some(builder.build())
        }
    }
    if builder.retry_details.is_none() {
        builder.retry_details = {
            let builder = crate::types::builders::RetryDetailsBuilder::default();
            Some(builder.build())
        }
    }
    builder
}

pub(crate) fn wait_started_details_correct_errors(
    mut builder: crate::types::builders::WaitStartedDetailsBuilder,
) -> crate::types::builders::WaitStartedDetailsBuilder {
    if builder.duration.is_none() {
        builder.duration = Some(Default::default())
    }
    if builder.scheduled_end_timestamp.is_none() {
        builder.scheduled_end_timestamp = Some(::aws_smithy_types::DateTime::from_fractional_secs(0, 0_f64))
    }
    builder
}

pub(crate) fn target_tracking_scaling_policy_correct_errors(
    mut builder: crate::types::builders::TargetTrackingScalingPolicyBuilder,
) -> crate::types::builders::TargetTrackingScalingPolicyBuilder {
    if builder.predefined_metric_type.is_none() {
        builder.predefined_metric_type = "no value was set".parse::<crate::types::CapacityProviderPredefinedMetricType>().ok()
    }
    if builder.target_value.is_none() {
        builder.target_value = Some(Default::default())
    }
    builder
}
