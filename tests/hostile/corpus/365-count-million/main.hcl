resource "local_value" "a" {
  count = 1000000
}
