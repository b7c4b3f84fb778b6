resource "local_value" "a" {
  for_each = local_value.a
  input    = each.key
}
