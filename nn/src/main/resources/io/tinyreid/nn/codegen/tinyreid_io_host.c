/* tinyreid_io.h on a host: stdio. */
#include "tinyreid_io.h"

#include <stdio.h>
#include <time.h>

#define TR_IO_FILES 4

static FILE *files[TR_IO_FILES];

int tr_io_open(const char *path) {
    int h;
    for (h = 0; h < TR_IO_FILES; h++) {
        if (files[h] == NULL) {
            files[h] = fopen(path, "rb");
            return files[h] == NULL ? -1 : h;
        }
    }
    return -1;
}

int tr_io_read(int handle, uint32_t offset, void *dst, uint32_t bytes) {
    if (handle < 0 || handle >= TR_IO_FILES || files[handle] == NULL) {
        return -1;
    }
    if (fseek(files[handle], (long) offset, SEEK_SET) != 0) {
        return -1;
    }
    return fread(dst, 1, bytes, files[handle]) == bytes ? 0 : -1;
}

void tr_io_close(int handle) {
    if (handle >= 0 && handle < TR_IO_FILES && files[handle] != NULL) {
        fclose(files[handle]);
        files[handle] = NULL;
    }
}

double tr_clock_ms(void) {
    return (double) clock() * 1000.0 / CLOCKS_PER_SEC;
}
