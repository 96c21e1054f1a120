#pragma once

#include "core/metrics/latencyhistogram.h"

#include <QJsonObject>

#include <array>
#include <cstdint>

namespace cachescope {

/// The request counters of a run, as one list. T is std::uint64_t for values (RequestCounts) and
/// SingleWriterCounter on the hot path (a worker's live counters): the same fields either way.
/// Adding a counter is one member here and one line in fields().
template<typename T> struct BasicRequestCounts {
    T requests {}; ///< requests completed
    T reads {}; ///< of which reads
    T writes {}; ///< of which writes
    T hits {}; ///< reads answered by any cache tier
    T l1Hits {}; ///< reads answered by L1
    T l2Hits {}; ///< reads answered by L2
    T negativeHits {}; ///< reads answered by a remembered "no such row" (cache.negative_ttl)
    T misses {}; ///< reads not answered by the cache (loaded, or waiting for a load)
    T coalescedWaits {}; ///< misses that waited for another client's load of the same key
    T notFound {}; ///< reads whose key had no row
    T errors {}; ///< requests that failed (database errors)
    T retries {}; ///< statements (single or batched) run again after a retryable failure
    T late {}; ///< open model: requests that started over 1 ms after their intended start
    T dbStatements {}; ///< statements executed by the database (from the connections' statistics)
    T bytesRead {}; ///< bytes of column data read from the database
    T dbNanos {}; ///< time spent inside the database, summed over workers
    T hitNanos {}; ///< latency of the reads a tier answered, summed (closed model, timing on): the hit cost
    T checkedReads {}; ///< reads whose row version was checked against the last committed write (db.version_column)
    T staleReads {}; ///< of which returned a row older than a write committed before the read began
    T l2Errors {}; ///< shared L2 (Redis) commands that failed: the read went to the database
    T l2Invalidations {}; ///< keys the shared L2 told an instance another instance's write changed

    /// One counter: its name in results and a pointer to it.
    struct Field {
        const char16_t *name; ///< the result JSON's name
        T BasicRequestCounts::*member; ///< the counter
    };
    /// Every counter, in the order results list them.
    static constexpr auto fields()
    {
        using S = BasicRequestCounts;
        return std::to_array<Field>({
            {u"requests", &S::requests},
            {u"reads", &S::reads},
            {u"writes", &S::writes},
            {u"hits", &S::hits},
            {u"l1_hits", &S::l1Hits},
            {u"l2_hits", &S::l2Hits},
            {u"negative_hits", &S::negativeHits},
            {u"misses", &S::misses},
            {u"coalesced_waits", &S::coalescedWaits},
            {u"not_found", &S::notFound},
            {u"errors", &S::errors},
            {u"retries", &S::retries},
            {u"late", &S::late},
            {u"db_statements", &S::dbStatements},
            {u"bytes_read", &S::bytesRead},
            {u"db_nanos", &S::dbNanos},
            {u"hit_nanos", &S::hitNanos},
            {u"checked_reads", &S::checkedReads},
            {u"stale_reads", &S::staleReads},
            {u"l2_errors", &S::l2Errors},
            {u"l2_invalidations", &S::l2Invalidations},
        });
    }
};

/// Request counters as a plain value: they add up (per worker into a total) and subtract (a total
/// now minus a total then is what happened in between).
struct RequestCounts : BasicRequestCounts<std::uint64_t> {
    RequestCounts &operator+=(const RequestCounts &other);
    /// What happened between \a earlier and this.
    RequestCounts operator-(const RequestCounts &earlier) const;
    bool operator==(const RequestCounts &other) const;

    /// hits ÷ reads; 0 without reads.
    double hitRate() const { return reads ? double(hits) / double(reads) : 0.0; }
    double dbSeconds() const { return double(dbNanos) / 1e9; }
    /// Writes each counter by its name into \a json.
    void writeJson(QJsonObject &json) const;
    /// The counters of \a json (absent ones 0).
    static RequestCounts fromJson(const QJsonObject &json);
    /// A live counter set's current values.
    template<typename Live> static RequestCounts load(const BasicRequestCounts<Live> &live)
    {
        RequestCounts out;
        constexpr auto from = BasicRequestCounts<Live>::fields();
        constexpr auto to = fields();
        for (std::size_t i = 0; i < to.size(); ++i)
            out.*(to[i].member) = (live.*(from[i].member)).load();
        return out;
    }
};

/// Everything a stretch of a run produced: the counters and the latency of its requests. The
/// sampler, segments and phases are differences of two of these.
struct RequestTotals {
    RequestCounts counts; ///< the counters
    LatencyHistogram latency; ///< every request's latency (open model: from its intended start)
    LatencyHistogram service; ///< open model: from each request's actual start (empty when closed)
    LatencyHistogram staleAge; ///< of each stale read: how long before it ended its row had been superseded
    LatencyHistogram l2RoundTrip; ///< of each shared L2 (Redis) GET: from the request to its answer
    LatencyHistogram invalidationDelay; ///< from a write's commit to another instance's L1 being told of it

    RequestTotals &operator+=(const RequestTotals &other);
    /// What happened between \a earlier and this (histograms: exact when \a earlier is empty).
    RequestTotals operator-(const RequestTotals &earlier) const;
};

} // namespace cachescope
