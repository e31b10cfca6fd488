;; Gradient kernels for the wasm backend, in WebAssembly SIMD, registered as tfjs kernels by
;; gradients.ts (which says why each exists). The module imports tfjs-backend-wasm's own memory,
;; so tensors are read and written where tfjs keeps them, at the byte addresses gradients.ts
;; passes; all float32, row-major.
;;
;; filterGrad: dL/dW of a convolution,
;;   dW[m][o] = sum over positions p = (n, i, j) of  X[p][m] * dy[p][o]
;;   m = (a, b, c) runs over the k x k x cin filter taps, X[p][m] = xp[n][s*i + a][s*j + b][c];
;; xp is the input padded for the convolution, [n, hp, wp, cin]; dy is [n, ho, wo, cout]; dW is
;; [k*k*cin, cout]. The product is tiled 4 taps x 8 output channels: eight f32x4 accumulators
;; stay in registers while the positions of one image stream past, so each position costs four
;; scalar loads (splatted), two vector loads and sixteen vector multiply-adds for 32
;; multiply-adds. The image loop is outermost so that its xp and dy (tens of KB) stay in cache
;; across the tiles. cout must be a multiple of 8; the last tile of taps may be partial (its
;; spare rows repeat the last tap and are not stored). One call computes the block of dW from tap
;; mBegin (a multiple of 4) to mEnd and from channel oBegin to oEnd (multiples of 8), so that
;; threads can each take a block (gradients.ts splits the work, kernelPool.ts runs it); the first
;; image stores its tile and later ones add to it, so a block never reads another's rows.
;;
;; inputGrad: dL/dx of a convolution of x [n, h, w, cin] by w [k, k, cin, cout] with stride s,
;; 'same' padding (top, left in front), from dy [n, ho, wo, cout]:
;;   dx[n][p][q][c] = sum over taps (a, b) with s*i + a = p + top and s*j + b = q + left, and
;;                    over o, of dy[n][i][j][o] * w[a][b][c][o]
;; with wT = w as [k, k, cout, cin]. Only the taps that meet a real dy are visited, where the
;; forward-conv form convolves a zero-interleaved dy (4x the multiply-adds at stride 2, 3/4 of
;; them on zeros). Sixteen input channels at a time (cin a multiple of 16): four f32x4
;; accumulators share each splatted dy value.
;;
;; pad: x [n, h, w, c] into xp [n, h + top + bottom, w + left + right, c], zeros around it
;; (wasm's PadV2 is slow on short rows, such as MNIST's 28 floats; memory.copy moves each row
;; at once).
;;
;; adam: one Adam update of n parameters (FlatAdam's arithmetic, in its order, all float32):
;;   m' = m*b1 + g*c1,  v' = v*b2 + (g*g)*c2,  x' = x - (m' / (sqrt(v') + eps)) * step
;; with c1 = 1 - b1, c2 = 1 - b2 as the caller rounded them, four at a time and the rest one by
;; one. One pass over g, m, v and x, where tfjs's ops take eleven, and no concatenation or split.
;;
;; maxPool2Grad: dL/dx of a 2x2, stride-2 max pool of x [n, h, w, c] (h, w even; c a multiple of
;; 4), from dy [n, h/2, w/2, c]: each window's dy goes to its maxima, shared equally when they
;; tie (the subgradient conv.ts's maxPool2 defines), four channels at a time.
(module
  (import "env" "memory" (memory 0))

  ;; byte offset in xp of tap m, relative to the first tap of a position
  (func $tapOffset (param $m i32) (param $k i32) (param $cin i32) (param $wp i32) (result i32)
    (local $kc i32)
    (local.set $kc (i32.mul (local.get $k) (local.get $cin)))
    (i32.shl
      (i32.add
        (i32.mul
          (i32.add
            (i32.mul (i32.div_u (local.get $m) (local.get $kc)) (local.get $wp))
            (i32.rem_u (i32.div_u (local.get $m) (local.get $cin)) (local.get $k)))
          (local.get $cin))
        (i32.rem_u (local.get $m) (local.get $cin)))
      (i32.const 2)))

  (func (export "filterGrad")
    (param $xp i32) (param $dy i32) (param $out i32)
    (param $n i32) (param $hp i32) (param $wp i32) (param $cin i32)
    (param $ho i32) (param $wo i32) (param $cout i32) (param $k i32) (param $s i32)
    (param $mBegin i32) (param $mEnd i32) (param $oBegin i32) (param $oEnd i32)
    (local $first i32)
    (local $taps i32) (local $img i32) (local $m0 i32) (local $o0 i32) (local $i i32) (local $j i32)
    (local $off0 i32) (local $off1 i32) (local $off2 i32) (local $off3 i32) (local $last i32)
    (local $xImg i32) (local $dyImg i32) (local $xRow i32) (local $dyRow i32) (local $xq i32) (local $dq i32)
    (local $xStep i32) (local $dyStep i32) (local $xRowStep i32) (local $dst i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $x v128) (local $d0 v128) (local $d1 v128)
    ;; the block's taps end at mEnd: tiles past it repeat its last tap and are not stored
    (local.set $taps (local.get $mEnd))
    (local.set $last (i32.sub (local.get $taps) (i32.const 1)))
    (local.set $rowBytes (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $xStep (i32.shl (i32.mul (local.get $s) (local.get $cin)) (i32.const 2)))
    (local.set $xRowStep (i32.shl (i32.mul (i32.mul (local.get $s) (local.get $wp)) (local.get $cin)) (i32.const 2)))
    (local.set $dyStep (local.get $rowBytes))
    (local.set $img (i32.const 0))
    (block $imgDone (loop $imgLoop
      (br_if $imgDone (i32.ge_u (local.get $img) (local.get $n)))
      (local.set $xImg (i32.add (local.get $xp)
        (i32.shl (i32.mul (i32.mul (i32.mul (local.get $img) (local.get $hp)) (local.get $wp)) (local.get $cin)) (i32.const 2))))
      (local.set $dyImg (i32.add (local.get $dy)
        (i32.shl (i32.mul (i32.mul (i32.mul (local.get $img) (local.get $ho)) (local.get $wo)) (local.get $cout)) (i32.const 2))))
      (local.set $first (i32.eqz (local.get $img)))
      (local.set $m0 (local.get $mBegin))
      (block $mDone (loop $mLoop
        (br_if $mDone (i32.ge_u (local.get $m0) (local.get $taps)))
        (local.set $off0 (call $tapOffset (local.get $m0) (local.get $k) (local.get $cin) (local.get $wp)))
        (local.set $off1 (call $tapOffset (select (i32.add (local.get $m0) (i32.const 1)) (local.get $last)
          (i32.lt_u (i32.add (local.get $m0) (i32.const 1)) (local.get $taps))) (local.get $k) (local.get $cin) (local.get $wp)))
        (local.set $off2 (call $tapOffset (select (i32.add (local.get $m0) (i32.const 2)) (local.get $last)
          (i32.lt_u (i32.add (local.get $m0) (i32.const 2)) (local.get $taps))) (local.get $k) (local.get $cin) (local.get $wp)))
        (local.set $off3 (call $tapOffset (select (i32.add (local.get $m0) (i32.const 3)) (local.get $last)
          (i32.lt_u (i32.add (local.get $m0) (i32.const 3)) (local.get $taps))) (local.get $k) (local.get $cin) (local.get $wp)))
        (local.set $o0 (local.get $oBegin))
        (block $oDone (loop $oLoop
          (br_if $oDone (i32.ge_u (local.get $o0) (local.get $oEnd)))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
          (local.set $xRow (local.get $xImg))
          (local.set $dyRow (i32.add (local.get $dyImg) (i32.shl (local.get $o0) (i32.const 2))))
          (local.set $i (i32.const 0))
          (block $iDone (loop $iLoop
            (br_if $iDone (i32.ge_u (local.get $i) (local.get $ho)))
            (local.set $xq (local.get $xRow))
            (local.set $dq (local.get $dyRow))
            (local.set $j (local.get $wo))
            (loop $jLoop
              (local.set $d0 (v128.load (local.get $dq)))
              (local.set $d1 (v128.load offset=16 (local.get $dq)))
              (local.set $x (v128.load32_splat (i32.add (local.get $xq) (local.get $off0))))
              (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (local.get $d0))))
              (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $x) (local.get $d1))))
              (local.set $x (v128.load32_splat (i32.add (local.get $xq) (local.get $off1))))
              (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (local.get $d0))))
              (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $x) (local.get $d1))))
              (local.set $x (v128.load32_splat (i32.add (local.get $xq) (local.get $off2))))
              (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (local.get $d0))))
              (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $x) (local.get $d1))))
              (local.set $x (v128.load32_splat (i32.add (local.get $xq) (local.get $off3))))
              (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (local.get $d0))))
              (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $x) (local.get $d1))))
              (local.set $xq (i32.add (local.get $xq) (local.get $xStep)))
              (local.set $dq (i32.add (local.get $dq) (local.get $dyStep)))
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br_if $jLoop (local.get $j)))
            (local.set $xRow (i32.add (local.get $xRow) (local.get $xRowStep)))
            (local.set $dyRow (i32.add (local.get $dyRow) (i32.mul (local.get $wo) (local.get $rowBytes))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $iLoop)))
          ;; add the tile to dW (the first image stores it), row by row; rows past the last tap are not stored
          (local.set $dst (i32.add (i32.add (local.get $out) (i32.mul (local.get $m0) (local.get $rowBytes)))
            (i32.shl (local.get $o0) (i32.const 2))))
          (v128.store (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load (local.get $dst)) (local.get $first)) (local.get $a0)))
          (v128.store offset=16 (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load offset=16 (local.get $dst)) (local.get $first)) (local.get $b0)))
          (if (i32.lt_u (i32.add (local.get $m0) (i32.const 1)) (local.get $taps)) (then
            (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
            (v128.store (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load (local.get $dst)) (local.get $first)) (local.get $a1)))
            (v128.store offset=16 (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load offset=16 (local.get $dst)) (local.get $first)) (local.get $b1)))))
          (if (i32.lt_u (i32.add (local.get $m0) (i32.const 2)) (local.get $taps)) (then
            (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
            (v128.store (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load (local.get $dst)) (local.get $first)) (local.get $a2)))
            (v128.store offset=16 (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load offset=16 (local.get $dst)) (local.get $first)) (local.get $b2)))))
          (if (i32.lt_u (i32.add (local.get $m0) (i32.const 3)) (local.get $taps)) (then
            (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
            (v128.store (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load (local.get $dst)) (local.get $first)) (local.get $a3)))
            (v128.store offset=16 (local.get $dst) (f32x4.add (select (result v128) (v128.const i32x4 0 0 0 0) (v128.load offset=16 (local.get $dst)) (local.get $first)) (local.get $b3)))))
          (local.set $o0 (i32.add (local.get $o0) (i32.const 8)))
          (br $oLoop)))
        (local.set $m0 (i32.add (local.get $m0) (i32.const 4)))
        (br $mLoop)))
      (local.set $img (i32.add (local.get $img) (i32.const 1)))
      (br $imgLoop)))
  )



  (func (export "inputGrad")
    (param $dy i32) (param $wT i32) (param $dx i32) (param $n i32) (param $h i32) (param $w i32) (param $cin i32)
    (param $ho i32) (param $wo i32) (param $cout i32) (param $k i32) (param $s i32) (param $top i32) (param $left i32)
    (local $img i32) (local $p i32) (local $q i32) (local $c0 i32) (local $a i32) (local $b i32) (local $o i32)
    (local $t i32) (local $u i32) (local $dyPix i32) (local $wTap i32) (local $pd i32) (local $pw i32) (local $out i32)
    (local $cinBytes i32) (local $coutBytes i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $g v128)
    (local.set $cinBytes (i32.shl (local.get $cin) (i32.const 2)))
    (local.set $coutBytes (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $out (local.get $dx))
    (local.set $img (i32.const 0))
    (block $imgDone (loop $imgLoop
      (br_if $imgDone (i32.ge_u (local.get $img) (local.get $n)))
      (local.set $p (i32.const 0))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $h)))
        (local.set $q (i32.const 0))
        (block $qDone (loop $qLoop
          (br_if $qDone (i32.ge_u (local.get $q) (local.get $w)))
          (local.set $c0 (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c0) (local.get $cin)))
            (local.set $acc0 (v128.const i32x4 0 0 0 0)) (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $acc2 (v128.const i32x4 0 0 0 0)) (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $a (i32.const 0))
            (block $aDone (loop $aLoop
              (br_if $aDone (i32.ge_u (local.get $a) (local.get $k)))
              ;; t = s*i: this tap row meets dy row i when t >= 0, s divides t and i < ho
              (local.set $t (i32.sub (i32.add (local.get $p) (local.get $top)) (local.get $a)))
              (if (i32.and (i32.and (i32.ge_s (local.get $t) (i32.const 0)) (i32.eqz (i32.rem_u (local.get $t) (local.get $s))))
                    (i32.lt_u (i32.div_u (local.get $t) (local.get $s)) (local.get $ho))) (then
                (local.set $b (i32.const 0))
                (block $bDone (loop $bLoop
                  (br_if $bDone (i32.ge_u (local.get $b) (local.get $k)))
                  (local.set $u (i32.sub (i32.add (local.get $q) (local.get $left)) (local.get $b)))
                  (if (i32.and (i32.and (i32.ge_s (local.get $u) (i32.const 0)) (i32.eqz (i32.rem_u (local.get $u) (local.get $s))))
                        (i32.lt_u (i32.div_u (local.get $u) (local.get $s)) (local.get $wo))) (then
                    (local.set $pd (i32.add (local.get $dy) (i32.mul (local.get $coutBytes)
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $img) (local.get $ho)) (i32.div_u (local.get $t) (local.get $s))) (local.get $wo))
                        (i32.div_u (local.get $u) (local.get $s))))))
                    (local.set $pw (i32.add (local.get $wT) (i32.add
                      (i32.mul (i32.mul (i32.add (i32.mul (local.get $a) (local.get $k)) (local.get $b)) (local.get $cout)) (local.get $cinBytes))
                      (i32.shl (local.get $c0) (i32.const 2)))))
                    (local.set $o (local.get $cout))
                    (loop $oLoop
                      (local.set $g (v128.load32_splat (local.get $pd)))
                      (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $g) (v128.load (local.get $pw)))))
                      (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $g) (v128.load offset=16 (local.get $pw)))))
                      (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $g) (v128.load offset=32 (local.get $pw)))))
                      (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $g) (v128.load offset=48 (local.get $pw)))))
                      (local.set $pd (i32.add (local.get $pd) (i32.const 4)))
                      (local.set $pw (i32.add (local.get $pw) (local.get $cinBytes)))
                      (local.set $o (i32.sub (local.get $o) (i32.const 1)))
                      (br_if $oLoop (local.get $o)))))
                  (local.set $b (i32.add (local.get $b) (i32.const 1)))
                  (br $bLoop)))))
              (local.set $a (i32.add (local.get $a) (i32.const 1)))
              (br $aLoop)))
            (v128.store (local.get $out) (local.get $acc0))
            (v128.store offset=16 (local.get $out) (local.get $acc1))
            (v128.store offset=32 (local.get $out) (local.get $acc2))
            (v128.store offset=48 (local.get $out) (local.get $acc3))
            (local.set $out (i32.add (local.get $out) (i32.const 64)))
            (local.set $c0 (i32.add (local.get $c0) (i32.const 16)))
            (br $cLoop)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $qLoop)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pLoop)))
      (local.set $img (i32.add (local.get $img) (i32.const 1)))
      (br $imgLoop)))
  )
  (func (export "pad")
    (param $x i32) (param $xp i32) (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (param $top i32) (param $left i32) (param $hp i32) (param $wp i32)
    (local $rows i32) (local $r i32) (local $src i32) (local $dst i32) (local $rowBytes i32) (local $padRowBytes i32)
    (local.set $rowBytes (i32.shl (i32.mul (local.get $w) (local.get $c)) (i32.const 2)))
    (local.set $padRowBytes (i32.shl (i32.mul (local.get $wp) (local.get $c)) (i32.const 2)))
    (memory.fill (local.get $xp) (i32.const 0)
      (i32.mul (i32.mul (local.get $n) (local.get $hp)) (local.get $padRowBytes)))
    (local.set $src (local.get $x))
    ;; the first row of the first image, past the top rows and the left columns
    (local.set $dst (i32.add (local.get $xp)
      (i32.add (i32.mul (local.get $top) (local.get $padRowBytes)) (i32.shl (i32.mul (local.get $left) (local.get $c)) (i32.const 2)))))
    (local.set $rows (local.get $n))
    (block $done (loop $image
      (br_if $done (i32.eqz (local.get $rows)))
      (local.set $r (local.get $h))
      (block $imageDone (loop $row
        (br_if $imageDone (i32.eqz (local.get $r)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $rowBytes))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $dst (i32.add (local.get $dst) (local.get $padRowBytes)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $row)))
      ;; on to the next image: past this one's bottom rows and the next one's top rows
      (local.set $dst (i32.add (local.get $dst) (i32.mul (i32.sub (local.get $hp) (local.get $h)) (local.get $padRowBytes))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $image)))
  )
  (func (export "maxPool2Grad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (local $rows i32) (local $cols i32) (local $ch i32) (local $px i32) (local $pd i32) (local $pg i32)
    (local $step i32) (local $rowBytes i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128) (local $m v128) (local $g v128)
    (local $e00 v128) (local $e01 v128) (local $e10 v128) (local $e11 v128)
    (local.set $step (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $w) (local.get $step)))
    (local.set $px (local.get $x))
    (local.set $pd (local.get $dx))
    (local.set $pg (local.get $dy))
    ;; window rows over all images, window columns, then four channels at a time
    (local.set $rows (i32.mul (local.get $n) (i32.shr_u (local.get $h) (i32.const 1))))
    (loop $rowLoop
      (local.set $cols (i32.shr_u (local.get $w) (i32.const 1)))
      (loop $colLoop
        (local.set $ch (i32.shr_u (local.get $c) (i32.const 2)))
        (loop $chLoop
          (local.set $v00 (v128.load (local.get $px)))
          (local.set $v01 (v128.load (i32.add (local.get $px) (local.get $step))))
          (local.set $v10 (v128.load (i32.add (local.get $px) (local.get $rowBytes))))
          (local.set $v11 (v128.load (i32.add (i32.add (local.get $px) (local.get $rowBytes)) (local.get $step))))
          (local.set $m (f32x4.max (f32x4.max (local.get $v00) (local.get $v01)) (f32x4.max (local.get $v10) (local.get $v11))))
          (local.set $e00 (f32x4.eq (local.get $v00) (local.get $m)))
          (local.set $e01 (f32x4.eq (local.get $v01) (local.get $m)))
          (local.set $e10 (f32x4.eq (local.get $v10) (local.get $m)))
          (local.set $e11 (f32x4.eq (local.get $v11) (local.get $m)))
          ;; dy over the number of maxima (1 unless tied; a mask lane is all ones, and with 1.0 it is 1.0)
          (local.set $g (f32x4.div (v128.load (local.get $pg))
            (f32x4.add
              (f32x4.add (v128.and (local.get $e00) (v128.const f32x4 1 1 1 1)) (v128.and (local.get $e01) (v128.const f32x4 1 1 1 1)))
              (f32x4.add (v128.and (local.get $e10) (v128.const f32x4 1 1 1 1)) (v128.and (local.get $e11) (v128.const f32x4 1 1 1 1))))))
          (v128.store (local.get $pd) (v128.and (local.get $e00) (local.get $g)))
          (v128.store (i32.add (local.get $pd) (local.get $step)) (v128.and (local.get $e01) (local.get $g)))
          (v128.store (i32.add (local.get $pd) (local.get $rowBytes)) (v128.and (local.get $e10) (local.get $g)))
          (v128.store (i32.add (i32.add (local.get $pd) (local.get $rowBytes)) (local.get $step)) (v128.and (local.get $e11) (local.get $g)))
          (local.set $px (i32.add (local.get $px) (i32.const 16)))
          (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
          (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
          (local.set $ch (i32.sub (local.get $ch) (i32.const 1)))
          (br_if $chLoop (local.get $ch)))
        ;; past the window's second column
        (local.set $px (i32.add (local.get $px) (local.get $step)))
        (local.set $pd (i32.add (local.get $pd) (local.get $step)))
        (local.set $cols (i32.sub (local.get $cols) (i32.const 1)))
        (br_if $colLoop (local.get $cols)))
      ;; past the window's second row
      (local.set $px (i32.add (local.get $px) (local.get $rowBytes)))
      (local.set $pd (i32.add (local.get $pd) (local.get $rowBytes)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br_if $rowLoop (local.get $rows)))
  )

  (func (export "adam")
    (param $g i32) (param $x i32) (param $m i32) (param $v i32)
    (param $xOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32) (param $step f32) (param $eps f32)
    (local $i i32) (local $end4 i32) (local $o i32)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (block $vecDone (loop $vecLoop
      (br_if $vecDone (i32.ge_u (local.get $i) (local.get $end4)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
      (local.set $mv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
        (f32x4.mul (local.get $gv) (f32x4.splat (local.get $c1)))))
      (local.set $vv (f32x4.add
        (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
        (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $c2)))))
      (v128.store (i32.add (local.get $mOut) (local.get $o)) (local.get $mv))
      (v128.store (i32.add (local.get $vOut) (local.get $o)) (local.get $vv))
      (v128.store (i32.add (local.get $xOut) (local.get $o))
        (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $o)))
          (f32x4.mul
            (f32x4.div (local.get $mv) (f32x4.add (f32x4.sqrt (local.get $vv)) (f32x4.splat (local.get $eps))))
            (f32x4.splat (local.get $step)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vecLoop)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
      (local.set $ms (f32.add
        (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
        (f32.mul (local.get $gs) (local.get $c1))))
      (local.set $vs (f32.add
        (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
        (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
      (f32.store (i32.add (local.get $mOut) (local.get $o)) (local.get $ms))
      (f32.store (i32.add (local.get $vOut) (local.get $o)) (local.get $vs))
      (f32.store (i32.add (local.get $xOut) (local.get $o))
        (f32.sub (f32.load (i32.add (local.get $x) (local.get $o)))
          (f32.mul
            (f32.div (local.get $ms) (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))
            (local.get $step))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $loop)))
  )
)
