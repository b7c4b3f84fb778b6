resource "local_value" "a" {
  depends_on = [local_value.b]
}

resource "local_value" "b" {
  depends_on = [local_value.a]
}
