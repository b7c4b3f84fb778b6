provider "local" {
  alias = "a"
}
resource "local_value" "a" {
  provider = local.a.b.c
}
