// Input of cpu.test: two kernel modules defining the same kernel symbol.
kernel.module @a {
  kernel.func @k() kind custom target cpu {
    kernel.return
  }
}
kernel.module @b {
  kernel.func @k() kind custom target cpu {
    kernel.return
  }
}
