locals {
  ü = 1
  日本 = 2
}
