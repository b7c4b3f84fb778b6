moved {
  from = local_value.a
  to   = local_value.b
}
moved {
  from = local_value.b
  to   = local_value.a
}
resource "local_value" "a" {}
