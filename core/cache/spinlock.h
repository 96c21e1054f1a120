#pragma once

#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cachescope::detail {

/// A test-and-test-and-set lock for critical sections of a few dozen nanoseconds (a cache
/// shard's lookup and bookkeeping). std::mutex parks a contended thread in the kernel (futex),
/// which costs microseconds — far more than the section it waits for; this spins briefly, then
/// yields. Meets BasicLockable, so std::lock_guard works.
class SpinLock {
public:
    void lock() noexcept
    {
        for (int spins = 0;; ++spins) {
            if (!m_locked.exchange(true, std::memory_order_acquire))
                return;
            while (m_locked.load(std::memory_order_relaxed)) {
                if (spins < 64) {
                    pause();
                    ++spins;
                } else {
                    std::this_thread::yield();
                }
            }
        }
    }
    bool try_lock() noexcept
    {
        return !m_locked.load(std::memory_order_relaxed) && !m_locked.exchange(true, std::memory_order_acquire);
    }
    void unlock() noexcept { m_locked.store(false, std::memory_order_release); }

private:
    static void pause() noexcept
    {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#endif
    }
    std::atomic<bool> m_locked {false};
};

} // namespace cachescope::detail
