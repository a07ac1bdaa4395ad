// u128 decimal text: see decimal.h.
#include "wire/decimal.h"

namespace ruroco::wire {

std::string u128_to_string(u128 value) {
    char digits[40];
    int i = 39;
    digits[i] = '\0';
    do {
        digits[--i] = static_cast<char>('0' + static_cast<int>(value % 10));
        value /= 10;
    } while (value != 0);
    return digits + i;
}

bool u128_from_string(const std::string& text, u128& out) {
    if (text.empty() || text.size() > 39) return false;
    u128 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        u128 next = value * 10 + static_cast<unsigned>(c - '0');
        if (next / 10 != value) return false;  // overflow
        value = next;
    }
    out = value;
    return true;
}

}  // namespace ruroco::wire
