#include "core/metrics/tickclock.h"

#include <cmath>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define CACHESCOPE_HAS_TSC 1
#endif

namespace cachescope::TickClock {

namespace {
std::int64_t steadyNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Calibration {
    bool tsc = false;
    double nanosPerTick = 1.0;
};

bool tscIsInvariant()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("flags", 0) == 0)
            return line.find(" constant_tsc") != std::string::npos && line.find(" nonstop_tsc") != std::string::npos;
    }
    return false;
}

Calibration calibrate()
{
    Calibration c;
#ifdef CACHESCOPE_HAS_TSC
    if (!tscIsInvariant())
        return c;
    // Ticks against steady_clock over ~20 ms: the rate to a few parts per million.
    const std::int64_t n0 = steadyNanos();
    const std::uint64_t t0 = __rdtsc();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::int64_t n1 = steadyNanos();
    const std::uint64_t t1 = __rdtsc();
    if (t1 > t0 && n1 > n0) {
        c.tsc = true;
        c.nanosPerTick = double(n1 - n0) / double(t1 - t0);
    }
#endif
    return c;
}

const Calibration &calibration()
{
    static const Calibration c = calibrate();
    return c;
}
} // namespace

std::uint64_t now()
{
#ifdef CACHESCOPE_HAS_TSC
    if (calibration().tsc)
        return __rdtsc();
#endif
    return std::uint64_t(steadyNanos());
}

std::int64_t toNanos(std::uint64_t ticks)
{
    return std::llround(double(ticks) * calibration().nanosPerTick);
}

bool usesTsc()
{
    return calibration().tsc;
}

} // namespace cachescope::TickClock
