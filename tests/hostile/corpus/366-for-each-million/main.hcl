resource "local_value" "a" {
  for_each = toset([for i in flatten([for a in range(1000) : range(1000)]) : tostring(i)])
}
