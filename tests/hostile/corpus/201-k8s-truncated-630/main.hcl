# The serving endpoint: the model behind a Service, scaled on CPU between min_replicas and
# max_replicas, never below one ready pod during node maintenance, and reachable only from the
# ingress controller (least privilege on the network).

variable "serving_image" {
  type    = string
  default = "registry.example.com/ml/churn-serving:3.0.1"
}

variable "min_replicas" {
  type    = number
  default = 2
}

variable "max_replicas" {
  type    = number
  default = 10
}

variable "ingress_namespace" {
  type        = string
  default     = "ingress-nginx"
  description = "Namespace of the ingress controller, the only client 