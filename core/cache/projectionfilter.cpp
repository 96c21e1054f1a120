#include "core/cache/projectionfilter.h"

#include "core/db/rowcodec.h"

namespace cachescope {

ValueFilter coveringFilter(const Projection &projection)
{
    return {[](const void *context, const QByteArray &value) {
                return RowCodec::covers(value, *static_cast<const ColumnSet *>(context));
            },
        &projection.columns()};
}

} // namespace cachescope
