resource "local_value" "a" {
  lifecycle {
    ignore_changes = ["!!!", 1, null]
  }
}
