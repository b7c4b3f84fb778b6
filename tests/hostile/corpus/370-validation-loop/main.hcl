variable "a" {
  default = 1
  validation {
    condition     = var.a == var.a
    error_message = "${var.a}"
  }
}
