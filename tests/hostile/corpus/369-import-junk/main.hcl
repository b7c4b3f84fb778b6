import {
  to = "!!!"
  id = 1
}
