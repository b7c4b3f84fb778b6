locals {
  x = "${<<EOT
abc
EOT
}"
}
