/* tinyreid_io.h on the Cortex-M7 under QEMU: ARM semihosting calls (picolibc's), no stdio FILE, no heap. */
#include "tinyreid_io.h"

#include <semihost.h>

int tr_io_open(const char *path) {
    return sys_semihost_open(path, SH_OPEN_R_B);
}

int tr_io_read(int handle, uint32_t offset, void *dst, uint32_t bytes) {
    if (handle < 0 || sys_semihost_seek(handle, offset) != 0) {
        return -1;
    }
    /* semihosting returns the number of bytes NOT read */
    return sys_semihost_read(handle, dst, bytes) == 0 ? 0 : -1;
}

void tr_io_close(int handle) {
    if (handle >= 0) {
        (void) sys_semihost_close(handle);
    }
}

/* The mps2 board's CMSDK APB timer 0, a 32-bit down counter at the 25 MHz peripheral clock. QEMU drives it
 * from virtual time, so under `-icount shift=0` (one instruction = 1 ns) ms * 1e6 counts instructions. */
#define TIMER0 ((volatile uint32_t *) 0x40000000u)
#define TIMER_HZ 25000000.0

double tr_clock_ms(void) {
    static int started;
    if (!started) {
        TIMER0[2] = 0xffffffffu; /* RELOAD */
        TIMER0[1] = 0xffffffffu; /* VALUE */
        TIMER0[0] = 1u;          /* CTRL: enable */
        started = 1;
    }
    return (double) (0xffffffffu - TIMER0[1]) * 1000.0 / TIMER_HZ;
}
