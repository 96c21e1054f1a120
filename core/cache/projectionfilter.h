#pragma once

#include "core/cache/cachetier.h"
#include "core/projection/projection.h"

namespace cachescope {

/// A cache filter that accepts only cached rows holding at least the columns of \a projection.
/// Valid while \a projection lives.
ValueFilter coveringFilter(const Projection &projection);

} // namespace cachescope
