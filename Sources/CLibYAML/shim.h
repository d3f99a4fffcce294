// The system libyaml (Debian: libyaml-dev). Stratus emits every template through its emitter.
#include <yaml.h>
