// Only the codec parts of spandsp: G.711, G.722 and G.711 packet-loss concealment.
#include <stdint.h>
#include <stdbool.h>
#include <spandsp/telephony.h>
#include <spandsp/g711.h>
#include <spandsp/g722.h>
#include <spandsp/plc.h>
