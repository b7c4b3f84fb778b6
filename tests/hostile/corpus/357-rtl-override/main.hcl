locals {
  x = "‮abc"
}
