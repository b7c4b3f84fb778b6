variable "name" {
  type = string
}

variable "execution_role" {
  type = string
}

variable "variants" {
  type = list(object({
    name           = string
    image          = string
    model_data     = string
    instance_type  = optional(string, "ml.g5.xlarge")
    instance_count = optional(number, 1)
    weight         = optional(number, 1)
  }))
}

resource "aws_sagemaker_model" "variant" {
  for_each           = { for v in var.variants : v.name => v }
  name               = "${var.name}-${each.key}"
  execution_role_arn = var.execution_role
  primary_container {
    image          = each.value.image
    model_data_url = each.value.model_data
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name = "${var.name}-${terraform.workspace}"

  dynamic "production_variants" {
    for_each = var.variants
    content {
      variant_name           = production_variants.value.name
      model_name             = aws_sagemaker_model.variant[production_variants.value.name].name
      instance_type          = production_variants.value.instance_type
      initial_instance_count = production_variants.value.instance_count
      initial_variant_weight = production_variants.value.weight
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
}

output "endpoint_name" {
  value = aws_sagemaker_endpoint.this.name
}

output "variant_names" {
  value = [for v in var.variants : v.name]
}
