// libgdal loaded on first use (see CGDAL.h): each GDAL function Frontline calls is defined here
// as a two-instruction trampoline that jumps through a pointer filled by frontline_gdal_load().
// A jump, not a call, leaves the arguments and the return exactly as the caller set them up,
// whatever the function's signature, so the Swift code calls GDAL's names as declared.
#include <CGDAL.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define POINTER(name) void *frontline_gdal_##name;
FRONTLINE_GDAL_FUNCTIONS(POINTER)

#if defined(__x86_64__)
#define TRAMPOLINE(name) \
    __asm__(".text\n.globl " #name "\n.type " #name ",@function\n" #name ":\n" \
            "    jmp *frontline_gdal_" #name "(%rip)\n.size " #name ",.-" #name "\n");
#elif defined(__aarch64__)
#define TRAMPOLINE(name) \
    __asm__(".text\n.globl " #name "\n.type " #name ",%function\n.p2align 2\n" #name ":\n" \
            "    adrp x16, frontline_gdal_" #name "\n    ldr x16, [x16, :lo12:frontline_gdal_" #name "]\n" \
            "    br x16\n.size " #name ",.-" #name "\n");
#else
#error "CGDAL's trampolines are written for x86_64 and aarch64"
#endif
FRONTLINE_GDAL_FUNCTIONS(TRAMPOLINE)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    // The -dev package's name first (it is what the build compiled against), then Debian 12's soname.
    static const char *const names[] = {"libgdal.so", "libgdal.so.32"};
    void *library = NULL;
    for (size_t k = 0; k < sizeof names / sizeof *names && !library; k++)
        library = dlopen(names[k], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "GDAL is not installed (Debian package libgdal-dev): %s", dlerror());
        return;
    }
#define LOOKUP(name) \
    if (!(frontline_gdal_##name = dlsym(library, #name))) { \
        snprintf(failure, sizeof failure, "the installed GDAL has no function %s", #name); \
        return; \
    }
    FRONTLINE_GDAL_FUNCTIONS(LOOKUP)
}

const char *frontline_gdal_load(void) {
    pthread_once(&once, load);
    return failure[0] ? failure : NULL;
}
