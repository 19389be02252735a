/*
 * The hot loop of a PostgreSQL backup, compiled to WebAssembly (scripts/build-wasm.sh): takes the raw bytes of a
 * COPY ... TO STDOUT response off the socket, strips the protocol framing (one CopyData message per row) into a
 * part buffer and hashes every completed line with the RowChecksum function of @dbbackup/engine-kit
 * (row-checksum.ts; both must stay bit-for-bit identical, the tests compare them). In JavaScript the framing and
 * the hash cost about 4 s of main-thread CPU per GB of COPY text; here about a quarter of that.
 *
 * Memory layout (one instance per COPY stream): [static state][input: INPUT_CAPACITY][part: grows at the end].
 * JavaScript copies a socket chunk into the input area, calls feed(), and cuts parts at line boundaries.
 */
#include <stdint.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#define INPUT_CAPACITY (1u << 20)
#define COPY_DATA 'd'

extern u8 __heap_base;

/* Protocol parser: payload bytes of the current message still to come, whether it is row data, header bytes seen. */
static u32 remaining, is_data, header_filled;
static u8 header[5];
/* Part area: bytes written, start of the line not yet complete, where the newline search resumes, capacity. */
static u32 part_filled, line_start, scan_pos, part_capacity;
/* Sum of the completed lines' hashes (mod 2^64) and their count, since the last take_sum(). */
static u64 sum;
static u32 rows;
/* Why the last feed() stopped early: 0 = input used up or part full; else the message code that ends the data. */
static u32 stop_code;

static inline u32 align64k(u32 value) { return (value + 65535u) & ~65535u; }
static inline u8 *input_area(void) { return (u8 *)align64k((u32)(uintptr_t)&__heap_base); }
static inline u8 *part_area(void) { return input_area() + INPUT_CAPACITY; }

/*
 * Rows are short: memory.copy (what a variable-length memcpy becomes) costs a runtime call in V8, about 1 ns per byte
 * of a 100-byte row, so short runs are copied eight bytes at a time here (-fno-builtin keeps clang from turning the
 * loop back into memory.copy).
 */
static inline void copy_bytes(u8 *to, const u8 *from, u32 count) {
  if (count >= 512) {
    __builtin_memcpy(to, from, count);
    return;
  }
  for (; count >= 8; count -= 8, to += 8, from += 8) {
    u64 word;
    __builtin_memcpy(&word, from, 8);
    __builtin_memcpy(to, &word, 8);
  }
  for (; count > 0; count--) *to++ = *from++;
}

static inline u32 rotl(u32 x, int r) { return (x << r) | (x >> (32 - r)); }

static inline u32 load32(const u8 *p) {
  u32 k;
  __builtin_memcpy(&k, p, 4);
  return k; /* WebAssembly is little-endian, as the JavaScript version reads */
}

static void hash_line(const u8 *p, u32 length) {
  u32 h1 = 0x9747b28cu, h2 = 0x5bd1e995u;
  u32 i = 0, end4 = length & ~3u;
  for (; i < end4; i += 4) {
    u32 k = load32(p + i);
    u32 k1 = rotl(k * 0xcc9e2d51u, 15) * 0x1b873593u;
    h1 = rotl(h1 ^ k1, 13) * 5u + 0xe6546b64u;
    u32 k2 = rotl(k * 0x85ebca6bu, 16) * 0xc2b2ae35u;
    h2 = rotl(h2 ^ k2, 17) * 5u + 0x52dce729u;
  }
  u32 tail = length - i;
  if (tail > 0) {
    u32 k = p[i];
    if (tail > 1) k |= (u32)p[i + 1] << 8;
    if (tail > 2) k |= (u32)p[i + 2] << 16;
    h1 ^= rotl(k * 0xcc9e2d51u, 15) * 0x1b873593u;
    h2 ^= rotl(k * 0x85ebca6bu, 16) * 0xc2b2ae35u;
  }
  h1 ^= length;
  h1 ^= h1 >> 16; h1 *= 0x85ebca6bu; h1 ^= h1 >> 13; h1 *= 0xc2b2ae35u; h1 ^= h1 >> 16;
  h2 ^= length;
  h2 ^= h2 >> 16; h2 *= 0x85ebca6bu; h2 ^= h2 >> 13; h2 *= 0xc2b2ae35u; h2 ^= h2 >> 16;
  sum += ((u64)h2 << 32) | h1;
  rows++;
}

/* Hashes every line completed in the part area since the last call. */
static void hash_new_lines(void) {
  u8 *part = part_area();
  u32 i = scan_pos, end = part_filled, start = line_start;
  while (i < end) {
    /* Eight bytes at a time: a zero byte of (word ^ 0x0a..0a) marks a newline. */
    while (i + 8 <= end) {
      u64 word;
      __builtin_memcpy(&word, part + i, 8);
      u64 x = word ^ 0x0a0a0a0a0a0a0a0aull;
      if (((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    while (i < end && part[i] != '\n') i++;
    if (i == end) break;
    hash_line(part + start, i - start);
    i++;
    start = i;
  }
  scan_pos = i;
  line_start = start;
}

__attribute__((export_name("input_offset"))) u32 input_offset(void) { return (u32)(uintptr_t)input_area(); }
__attribute__((export_name("part_offset"))) u32 part_offset(void) { return (u32)(uintptr_t)part_area(); }
__attribute__((export_name("input_capacity"))) u32 input_capacity(void) { return INPUT_CAPACITY; }

/* Starts a new COPY response with a part area of `capacity` bytes (the memory must already hold it). */
__attribute__((export_name("reset"))) void reset(u32 capacity) {
  remaining = is_data = header_filled = 0;
  part_filled = line_start = scan_pos = 0;
  part_capacity = capacity;
  sum = 0;
  rows = 0;
  stop_code = 0;
}

/* A larger part area, after JavaScript grew the memory (a row longer than the part). */
__attribute__((export_name("set_part_capacity"))) void set_part_capacity(u32 capacity) { part_capacity = capacity; }

/*
 * Consumes input[0, length): CopyData payloads are appended to the part area and completed lines hashed; NoticeResponse,
 * ParameterStatus, NotificationResponse and CopyOutResponse messages are skipped. Returns the bytes consumed, which
 * is less than `length` when
 *  - the part area is full (stop_code 0): cut a part (or grow the area) and call again with the rest;
 *  - an ErrorResponse starts (stop_code 'E', nothing of it consumed);
 *  - any other message's 5-byte header was read (stop_code = its code; the header is consumed, remaining() tells
 *    its payload length): CopyDone ends the data, the rest belongs to the driver.
 */
__attribute__((export_name("feed"))) u32 feed(u32 length) {
  const u8 *in = input_area();
  u8 *part = part_area();
  /* Locals, not the statics: every store into the part area could alias them, which would force a reload per byte. */
  u32 position = 0, left = remaining, data = is_data, filled = part_filled, capacity = part_capacity;
  u32 stop = 0;
  while (position < length) {
    if (left > 0) {
      u32 count = length - position < left ? length - position : left;
      if (data) {
        u32 room = capacity - filled;
        if (room == 0) break;
        if (count > room) count = room;
        copy_bytes(part + filled, in + position, count);
        filled += count;
      }
      position += count;
      left -= count;
      continue;
    }
    u32 code;
    if (header_filled == 0 && length - position >= 5) {
      /* The usual case: a whole header in this chunk. */
      code = in[position];
      if (code == 'E') {
        stop = 'E';
        break;
      }
      left = (((u32)in[position + 1] << 24) | ((u32)in[position + 2] << 16) | ((u32)in[position + 3] << 8) |
              in[position + 4]) - 4;
      position += 5;
    } else {
      if (header_filled == 0 && in[position] == 'E') {
        stop = 'E';
        break;
      }
      while (header_filled < 5 && position < length) header[header_filled++] = in[position++];
      if (header_filled < 5) break;
      header_filled = 0;
      code = header[0];
      left = (((u32)header[1] << 24) | ((u32)header[2] << 16) | ((u32)header[3] << 8) | header[4]) - 4;
    }
    data = code == COPY_DATA;
    if (!data && code != 'H' && code != 'N' && code != 'S' && code != 'A') {
      stop = code;
      break;
    }
  }
  remaining = left;
  is_data = data;
  part_filled = filled;
  stop_code = stop;
  hash_new_lines();
  return position;
}

__attribute__((export_name("stop_code"))) u32 get_stop_code(void) { return stop_code; }
__attribute__((export_name("remaining"))) u32 get_remaining(void) { return remaining; }
__attribute__((export_name("part_filled"))) u32 get_part_filled(void) { return part_filled; }
/* End of the last complete line in the part area: a part may be cut there. */
__attribute__((export_name("complete"))) u32 get_complete(void) { return line_start; }
__attribute__((export_name("rows"))) u32 get_rows(void) { return rows; }
__attribute__((export_name("sum_high"))) u32 sum_high(void) { return (u32)(sum >> 32); }
__attribute__((export_name("sum_low"))) u32 sum_low(void) { return (u32)sum; }

/* After JavaScript copied part[0, complete) out: starts the next part with the unfinished line. */
__attribute__((export_name("cut"))) void cut(void) {
  u8 *part = part_area();
  u32 tail = part_filled - line_start;
  __builtin_memmove(part, part + line_start, tail);
  part_filled = tail;
  scan_pos -= line_start;
  line_start = 0;
  sum = 0;
  rows = 0;
}
