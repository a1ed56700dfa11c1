#include <pocketsphinx.h>
#include <sphinxbase/err.h>

// cmd_ln_init is variadic, which Swift cannot call: the one configuration callaudio uses, as a plain function.

/// A decoder for the acoustic model folder `hmm`, language model `lm` and dictionary `dict`, with the settings
/// measured fastest at no loss of accuracy (-maxhmmpf 3000 -fwdflat no -bestpath no) and its logging off.
/// NULL when the model files cannot be loaded.
static inline ps_decoder_t *cps_decoder_create(const char *hmm, const char *lm, const char *dict) {
    err_set_logfp(NULL);
    cmd_ln_t *config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict,
                                   "-maxhmmpf", "3000", "-fwdflat", "no", "-bestpath", "no",
                                   "-samprate", "16000", NULL);
    if (config == NULL) return NULL;
    ps_decoder_t *decoder = ps_init(config);
    cmd_ln_free_r(config);
    return decoder;
}
