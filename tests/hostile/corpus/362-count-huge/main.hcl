resource "local_value" "a" {
  count = 99999999999999999999
}
