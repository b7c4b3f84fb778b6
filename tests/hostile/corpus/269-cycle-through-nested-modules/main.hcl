module "outer" {
  source = "./outer"
  in     = module.outer.out
}
