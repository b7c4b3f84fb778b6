resource "local_value" "a" {
  for_each = toset([for i in flatten([for a in range(1000) : [for b in range(1000) : a * 1000 + b]]) : tostring(i)])
}
