nonsense "a" {
}
