/* never closed
locals {
  x = 1
}
