#include "core/metrics/requestcounts.h"

#include <QString>

namespace cachescope {

RequestCounts &RequestCounts::operator+=(const RequestCounts &other)
{
    for (const auto &field : fields())
        this->*field.member += other.*field.member;
    return *this;
}

RequestCounts RequestCounts::operator-(const RequestCounts &earlier) const
{
    RequestCounts out = *this;
    for (const auto &field : fields())
        out.*field.member -= earlier.*field.member;
    return out;
}

bool RequestCounts::operator==(const RequestCounts &other) const
{
    for (const auto &field : fields()) {
        if (this->*field.member != other.*field.member)
            return false;
    }
    return true;
}

void RequestCounts::writeJson(QJsonObject &json) const
{
    for (const auto &field : fields())
        json.insert(QString::fromUtf16(field.name), qint64(this->*field.member));
}

RequestCounts RequestCounts::fromJson(const QJsonObject &json)
{
    RequestCounts out;
    for (const auto &field : fields())
        out.*field.member = std::uint64_t(json.value(QString::fromUtf16(field.name)).toInteger());
    return out;
}

RequestTotals &RequestTotals::operator+=(const RequestTotals &other)
{
    counts += other.counts;
    latency.merge(other.latency);
    service.merge(other.service);
    staleAge.merge(other.staleAge);
    l2RoundTrip.merge(other.l2RoundTrip);
    invalidationDelay.merge(other.invalidationDelay);
    return *this;
}

RequestTotals RequestTotals::operator-(const RequestTotals &earlier) const
{
    RequestTotals out;
    out.counts = counts - earlier.counts;
    // From an empty start the histogram is exact (min and max too); a later start is a delta,
    // exact to the histogram's precision.
    out.latency = earlier.latency.count() == 0 ? latency : latency.deltaSince(earlier.latency);
    out.service = earlier.service.count() == 0 ? service : service.deltaSince(earlier.service);
    out.staleAge = earlier.staleAge.count() == 0 ? staleAge : staleAge.deltaSince(earlier.staleAge);
    out.l2RoundTrip = earlier.l2RoundTrip.count() == 0 ? l2RoundTrip : l2RoundTrip.deltaSince(earlier.l2RoundTrip);
    out.invalidationDelay = earlier.invalidationDelay.count() == 0
        ? invalidationDelay
        : invalidationDelay.deltaSince(earlier.invalidationDelay);
    return out;
}

} // namespace cachescope
