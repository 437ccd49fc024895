"""Export torchvision's VGG16 ImageNet weights for `convplay import` (run where torchvision is
installed and the weights can be downloaded; convplay itself needs neither).

    python3 export_vgg16_torch.py vgg16_torch.npz
    convplay import vgg16_torch.npz --arch vgg16 --from pytorch -o vgg16.safetensors
    convplay classify tiger.jpg --weights vgg16.safetensors

Writes the state_dict as it is (features.0.weight, ..., classifier.6.bias), in PyTorch's layout
(Conv2d weights out, in, height, width; Linear weights out, in). convplay transposes them and
reorders the rows of the first Dense (PyTorch flattens 512 x 7 x 7 channels first, Keras 7 x 7 x 512
channels last). The saved model remembers PyTorch's preprocessing (x/255, ImageNet mean and std,
RGB), which is not Keras's 'caffe'. About 553 MB.
"""
import sys

import numpy as np
import torchvision

out = sys.argv[1] if len(sys.argv) > 1 else "vgg16_torch.npz"
model = torchvision.models.vgg16(weights=torchvision.models.VGG16_Weights.IMAGENET1K_V1)
arrays = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
np.savez(out, **arrays)
print(f"{out}: {len(arrays)} arrays, {sum(a.size for a in arrays.values()):,} weights")
