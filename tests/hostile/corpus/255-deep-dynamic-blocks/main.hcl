resource "local_file" "deep" {
  path = "x"
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
dynamic "b" {
for_each = [1]
content {
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
