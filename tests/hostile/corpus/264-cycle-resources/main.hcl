resource "local_value" "a" {
  input = local_value.b.output
}

resource "local_value" "b" {
  input = local_value.a.output
}
