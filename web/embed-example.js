// The host side of embed-example.html: two embeds, each driven through embed.js.
(function () {
  "use strict";
  var left = BackpropExplorerEmbed.connect(document.getElementById("left"));
  var right = BackpropExplorerEmbed.connect(document.getElementById("right"));
  window.embeds = { left: left, right: right }; // for the tests and the curious

  left.ready.then(function () {
    return left.call("preset", "classic");
  });
  document.getElementById("left-select").addEventListener("click", function () {
    left.call("select", { layer: 1, to: 2, from: 3 }).then(function (result) {
      document.getElementById("left-out").textContent =
        "∂L/∂w = " + result.gradient.toPrecision(6) + " over " + result.pathCount + " path(s)";
    });
  });
  document.getElementById("right-step").addEventListener("click", function () {
    right.call("step", 10).then(function () {
      return right.call("gradients");
    }).then(function (g) {
      document.getElementById("right-out").textContent = "loss " + g.loss.toFixed(4);
    });
  });
})();
