# The configurations the benchmark scripts measure (sourced, never run), one function per case:
# `write_CASE DIR KIND SIZE` writes the case into DIR for Plinth (KIND `local_value`, `.hcl` files)
# or for Terraform (KIND `terraform_data`, `.tf` files). The same graph for both.

ext_of() { if [[ $1 == terraform_data ]]; then echo tf; else echo hcl; fi; }

# Two layers of SIZE/2 instances each, l2[i] depending on l1[i].
write_layers() {
    local dir=$1 kind=$2 n=$(($3 / 2)) ext
    ext=$(ext_of "$kind")
    mkdir -p "$dir"
    cat >"$dir/main.$ext" <<HCL
resource "$kind" "l1" {
  count = $n
  input = "v-\${count.index}"
}

resource "$kind" "l2" {
  count = $n
  input = $kind.l1[count.index].output
}
HCL
}

# SIZE instances of one module call (for_each) with VARS (default 60) variables each, and two
# resources inside, the second depending on the first.
write_modules() {
    local dir=$1 kind=$2 n=$3 vars=${VARS:-60} ext i
    ext=$(ext_of "$kind")
    mkdir -p "$dir/mod"
    {
        echo 'module "m" {'
        echo '  source   = "./mod"'
        echo "  for_each = toset([for i in range($n) : \"m\${i}\"])"
        for ((i = 0; i < vars; i++)); do echo "  v$i = \"\${each.key}-$i\""; done
        echo '}'
    } >"$dir/main.$ext"
    {
        for ((i = 0; i < vars; i++)); do printf 'variable "v%d" {\n  type = string\n}\n' "$i"; done
        echo "resource \"$kind\" \"a\" {"
        printf '  input = {'
        for ((i = 0; i < vars; i++)); do printf ' v%d = var.v%d,' "$i" "$i"; done
        echo ' }'
        echo '}'
        echo "resource \"$kind\" \"b\" {"
        echo "  input = $kind.a.output"
        echo '}'
    } >"$dir/mod/main.$ext"
}

# Fan-in: SIZE resources, and one more whose input lists all of their outputs.
write_fanin() {
    local dir=$1 kind=$2 n=$3 ext i
    ext=$(ext_of "$kind")
    mkdir -p "$dir"
    {
        for ((i = 0; i < n; i++)); do printf 'resource "%s" "u%d" {\n  input = "v-%d"\n}\n' "$kind" "$i" "$i"; done
        echo "resource \"$kind\" \"sink\" {"
        echo '  input = ['
        for ((i = 0; i < n; i++)); do echo "    $kind.u$i.output,"; done
        echo '  ]'
        echo '}'
    } >"$dir/main.$ext"
}

# A chain SIZE deep: c0 <- c1 <- ... each resource's input is the previous one's output.
write_chain() {
    local dir=$1 kind=$2 n=$3 ext i
    ext=$(ext_of "$kind")
    mkdir -p "$dir"
    {
        printf 'resource "%s" "c0" {\n  input = "v"\n}\n' "$kind"
        for ((i = 1; i < n; i++)); do printf 'resource "%s" "c%d" {\n  input = %s.c%d.output\n}\n' "$kind" "$i" "$kind" $((i - 1)); done
    } >"$dir/main.$ext"
}
