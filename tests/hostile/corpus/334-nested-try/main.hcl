locals {
  x = try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(try(1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
}

output "x" {
  value = local.x
}
