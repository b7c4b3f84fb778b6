resource "local_value" "a" {
  input = "x"
