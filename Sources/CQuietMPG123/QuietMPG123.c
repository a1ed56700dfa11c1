// libsndfile decodes MP3 through libmpg123, whose decoder prints its own notes and errors on standard error
// ("Note: Illegal Audio-MPEG-Header ...", "[layer3.c:...] error: ..."): unprefixed lines that a damaged file
// scatters over a command's output, dozens even when the run succeeds. libsndfile offers no way to quieten
// it, so this definition of mpg123_new, which the executable exports and libsndfile binds to, creates the
// decoder with libmpg123's own function and sets MPG123_QUIET on it. Failures still reach us through
// libsndfile's return values, which become our one-line errors and `partial` legs.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <mpg123.h>
#include <stddef.h>

#include "CQuietMPG123.h"

typedef mpg123_handle *(*NewDecoder)(const char *, int *);
typedef int (*SetParameter)(mpg123_handle *, enum mpg123_parms, long, double);

mpg123_handle *mpg123_new(const char *decoder, int *error) {
    static NewDecoder create;
    static SetParameter set;
    if (create == NULL) {
        create = (NewDecoder)dlsym(RTLD_NEXT, "mpg123_new");
        set = (SetParameter)dlsym(RTLD_NEXT, "mpg123_param");
    }
    if (create == NULL) {
        if (error != NULL) *error = MPG123_ERR;
        return NULL;
    }
    mpg123_handle *handle = create(decoder, error);
    if (handle != NULL && set != NULL) set(handle, MPG123_ADD_FLAGS, MPG123_QUIET, 0);
    return handle;
}

void callaudio_quiet_mpg123_linked(void) {}
