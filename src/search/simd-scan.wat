;; The dot products of one query with every row of a matrix, four f32 lanes at a time, for src/search/simd-scan.ts:
;; scan(q, m, n, rowBytes, out) sets out[i] = q · m[i] (f32) for i in 0..n, rows of rowBytes bytes (a multiple of 64)
;; laid end to end from m, with four f32x4 accumulators over 64 bytes a step. simd-scan.ts holds the binary this
;; assembles to (test/search/simd-scan.test.ts checks they are the same); after an edit here, re-assemble it with
;; wabt (`npx tsx tools/assemble-simd-scan.ts`) and paste the base64 it prints.
(module
  (type (;0;) (func (param i32 i32 i32 i32 i32)))
  (import "env" "memory" (memory (;0;) 1))
  (func $scan (type 0) (param $q i32) (param $m i32) (param $n i32) (param $rowBytes i32) (param $out i32)
    (local $i i32) (local $j i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $a0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $a1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $a2
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $a3
        i32.const 0
        local.set $j
        loop  ;; label = @3
          local.get $a0
          local.get $q
          local.get $j
          i32.add
          v128.load
          local.get $m
          local.get $j
          i32.add
          v128.load
          f32x4.mul
          f32x4.add
          local.set $a0
          local.get $a1
          local.get $q
          local.get $j
          i32.add
          v128.load offset=16
          local.get $m
          local.get $j
          i32.add
          v128.load offset=16
          f32x4.mul
          f32x4.add
          local.set $a1
          local.get $a2
          local.get $q
          local.get $j
          i32.add
          v128.load offset=32
          local.get $m
          local.get $j
          i32.add
          v128.load offset=32
          f32x4.mul
          f32x4.add
          local.set $a2
          local.get $a3
          local.get $q
          local.get $j
          i32.add
          v128.load offset=48
          local.get $m
          local.get $j
          i32.add
          v128.load offset=48
          f32x4.mul
          f32x4.add
          local.set $a3
          local.get $j
          i32.const 64
          i32.add
          local.tee $j
          local.get $rowBytes
          i32.lt_u
          br_if 0 (;@3;)
        end
        local.get $a0
        local.get $a1
        f32x4.add
        local.get $a2
        local.get $a3
        f32x4.add
        f32x4.add
        local.set $a0
        local.get $out
        local.get $i
        i32.const 2
        i32.shl
        i32.add
        local.get $a0
        f32x4.extract_lane 0
        local.get $a0
        f32x4.extract_lane 1
        f32.add
        local.get $a0
        f32x4.extract_lane 2
        local.get $a0
        f32x4.extract_lane 3
        f32.add
        f32.add
        f32.store
        local.get $m
        local.get $rowBytes
        i32.add
        local.set $m
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end)
  (export "scan" (func $scan)))
