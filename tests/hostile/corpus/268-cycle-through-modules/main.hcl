module "a" {
  source = "./a"
  in     = module.b.out
}

module "b" {
  source = "./b"
  in     = module.a.out
}
